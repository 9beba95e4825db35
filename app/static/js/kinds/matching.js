// Matching (the kind app/exercises/kinds/matching.py): tap a word, then its meaning.
// Loaded on the pages that show exercises; an enhancement, the plain form works without it.
(function () {
  "use strict";

  // Tap a word, then its meaning. Tapping a paired word undoes the pair. The selects (one per
  // word, the answer and the no-JavaScript form) are hidden and kept in step.
  Qiao.each(document, ".kind-matching form.exercise-form", function (form) {
    var table = form.querySelector("table.matching");
    var selects = Array.prototype.slice.call(table.querySelectorAll('select[name^="part-"]'));
    var rights = Array.prototype.map.call(selects[0].options, function (o) { return o.value; })
      .filter(Boolean);
    var board = document.createElement("div");
    board.className = "pairing";
    var lefts = document.createElement("ul");
    lefts.className = "pair-lefts";
    var pool = document.createElement("ul");
    pool.className = "pair-rights";
    var hint = document.createElement("p");
    hint.className = "muted pair-hint";
    hint.textContent = table.dataset.tHint || "";
    board.appendChild(lefts);
    board.appendChild(pool);
    table.parentNode.insertBefore(hint, table);
    table.parentNode.insertBefore(board, table);
    table.hidden = true;
    selects.forEach(function (s) { s.required = false; });
    var active = null;
    var leftButtons = [];
    var rightButtons = [];

    function render() {
      var used = selects.map(function (s) { return s.value; });
      leftButtons.forEach(function (button, i) {
        var pair = used[i];
        button.querySelector(".pair-right").textContent = pair ? "→ " + pair : "";
        button.classList.toggle("paired", Boolean(pair));
        button.setAttribute("aria-pressed", active === i ? "true" : "false");
        button.classList.toggle("active", active === i);
      });
      rightButtons.forEach(function (button) {
        var taken = used.indexOf(button.dataset.value) >= 0;
        button.disabled = taken || active === null;
        button.classList.toggle("used", taken);
      });
    }

    selects.forEach(function (select, i) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pair-left";
      var word = document.createElement("span");
      word.className = "han";
      word.lang = "zh-Hans";
      word.textContent = table.querySelector('label[for="' + select.id + '"]').textContent;
      var right = document.createElement("span");
      right.className = "pair-right";
      button.appendChild(word);
      button.appendChild(document.createTextNode(" "));
      button.appendChild(right);
      button.addEventListener("click", function () {
        if (select.value) {
          select.value = "";
          active = i;
        } else {
          active = active === i ? null : i;
        }
        render();
        var first = rightButtons.filter(function (b) { return !b.disabled; })[0];
        if (active !== null && first) first.focus();
      });
      li.appendChild(button);
      lefts.appendChild(li);
      leftButtons.push(button);
    });
    rights.forEach(function (value) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pair-option";
      button.dataset.value = value;
      button.textContent = value;
      button.addEventListener("click", function () {
        if (active === null) return;
        selects[active].value = value;
        var next = selects.findIndex(function (s) { return !s.value; });
        active = next >= 0 ? next : null;
        render();
        if (active !== null) leftButtons[active].focus();
        else form.querySelector('button[type="submit"]').focus();
      });
      li.appendChild(button);
      pool.appendChild(li);
      rightButtons.push(button);
    });
    active = 0;
    render();
  });
})();
