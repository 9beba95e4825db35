// Word order (the kind app/exercises/kinds/word_order.py): tiles that tap in and out.
// Loaded on the pages that show exercises; an enhancement, the plain form works without it.
(function () {
  "use strict";

  // Tap the tiles in order to build the sentence; tap a placed word to take it back. The
  // numbered selects stay the answer (and what works without JavaScript); they are hidden.
  Qiao.each(document, ".kind-word_order form.exercise-form", function (form) {
    var selects = Array.prototype.slice.call(form.querySelectorAll('select[name^="part-"]'));
    var pool = form.querySelector("[data-tiles]");
    var slots = form.querySelector(".order-slots");
    var line = document.createElement("div");
    line.className = "answer-line";
    line.setAttribute("aria-live", "polite");
    line.setAttribute("data-placeholder", pool.dataset.tPlaceholder || "");
    pool.parentNode.insertBefore(line, pool);
    slots.hidden = true;
    selects.forEach(function (s) { s.required = false; });
    var tiles = Array.prototype.slice.call(pool.querySelectorAll(".tile"));

    function render() {
      var placed = selects.map(function (s) { return s.value; }).filter(Boolean);
      var taken = placed.slice();
      tiles.forEach(function (tile) {
        var i = taken.indexOf(tile.textContent);
        var used = i >= 0;
        if (used) taken[i] = null;
        tile.classList.toggle("used", used);
        tile.disabled = used;
        tile.setAttribute("aria-pressed", used ? "true" : "false");
      });
      line.innerHTML = "";
      placed.forEach(function (word, i) {
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "tile placed han";
        chip.lang = "zh-Hans";
        chip.textContent = word;
        chip.setAttribute("aria-label", (pool.dataset.tRemove || "") + " " + word);
        chip.addEventListener("click", function () {
          var values = placed.slice();
          values.splice(i, 1);
          selects.forEach(function (s, j) { s.value = values[j] || ""; });
          render();
          var again = line.querySelectorAll(".placed")[Math.min(i, values.length - 1)];
          (again || tiles.filter(function (t) { return !t.disabled; })[0] || form).focus();
        });
        line.appendChild(chip);
      });
    }

    tiles.forEach(function (tile) {
      tile.hidden = false;
      tile.addEventListener("click", function () {
        for (var i = 0; i < selects.length; i++) {
          if (!selects[i].value) {
            selects[i].value = tile.textContent;
            break;
          }
        }
        render();
        var free = tiles.filter(function (t) { return !t.disabled; })[0];
        if (free) free.focus();
        else form.querySelector('button[type="submit"]').focus();
      });
    });
    render();
  });
})();
