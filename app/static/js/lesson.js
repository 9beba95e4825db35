// Lesson page: answers without reloading, word-order tiles, display preferences.
// Everything here is an enhancement: the forms work without JavaScript.
(function () {
  "use strict";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function csrf(form) {
    var field = form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function answerOf(form) {
    var kind = form.dataset.kind;
    if (kind === "word_order" || kind === "matching") {
      return Array.prototype.map.call(
        form.querySelectorAll('select[name^="part-"]'),
        function (s) { return s.value; }
      );
    }
    var checked = form.querySelector('input[name="answer"]:checked');
    if (checked) return checked.value;
    var text = form.querySelector('input[name="answer"][type="text"]');
    return text ? text.value : "";
  }

  var started = Date.now();

  document.querySelectorAll("form.exercise-form").forEach(function (form) {
    var shownAt = started;
    form.addEventListener("focusin", function () { if (shownAt === started) shownAt = Date.now(); });
    form.addEventListener("submit", function (event) {
      if (!form.checkValidity()) return;
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      var idField = form.querySelector('input[name="submission_id"]');
      button.disabled = true;
      fetch(form.dataset.json, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(form), "Accept": "application/json" },
        body: JSON.stringify({
          answer: answerOf(form),
          submission_id: idField.value,
          duration_ms: Date.now() - shownAt
        })
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (data) {
        var card = form.closest(".exercise");
        card.querySelector(".feedback").innerHTML = data.html;
        card.classList.toggle("answered-right", data.correct);
        card.classList.toggle("answered-wrong", !data.correct);
        idField.value = uuid();  // a new answer from now on; a retry of this one reused the id
        shownAt = Date.now();
        if (data.message) {
          // Lesson (or course) complete: say so at the top of the exercises, with where to go.
          var banner = document.createElement("div");
          banner.className = "flash flash-success";
          banner.setAttribute("role", "status");
          var link = document.createElement("a");
          link.href = data.next_url;
          link.textContent = " →";
          banner.textContent = data.message;
          banner.appendChild(link);
          var score = document.getElementById("lesson-score");
          if (score) score.prepend(banner);
        }
      }).catch(function () {
        form.submit();  // fall back to the plain form
      }).finally(function () {
        button.disabled = false;
      });
    });
  });

  // Word order: tap the tiles in order; they fill the slots (which stay usable by keyboard).
  document.querySelectorAll(".kind-word_order form").forEach(function (form) {
    var selects = form.querySelectorAll('select[name^="part-"]');
    form.querySelectorAll(".tile").forEach(function (tile) {
      tile.hidden = false;
      tile.addEventListener("click", function () {
        if (tile.classList.contains("used")) return;
        for (var i = 0; i < selects.length; i++) {
          if (!selects[i].value) {
            selects[i].value = tile.textContent;
            tile.classList.add("used");
            tile.setAttribute("aria-pressed", "true");
            return;
          }
        }
      });
    });
    selects.forEach(function (select) {
      select.addEventListener("change", function () {
        var taken = Array.prototype.map.call(selects, function (s) { return s.value; });
        form.querySelectorAll(".tile").forEach(function (tile) {
          var i = taken.indexOf(tile.textContent);
          var used = i >= 0;
          if (used) taken[i] = null;
          tile.classList.toggle("used", used);
          tile.setAttribute("aria-pressed", used ? "true" : "false");
        });
      });
    });
  });

  // Display preferences: pinyin on/off/above and Palladius switch at once and are remembered.
  var prefs = document.getElementById("display-prefs");
  var lesson = document.getElementById("lesson");
  if (prefs && lesson) {
    var apply = prefs.querySelector('button[type="submit"]');
    if (apply) apply.hidden = true;
    prefs.addEventListener("change", function (event) {
      var mode = prefs.querySelector('[name="pinyin_mode"]').value;
      var palladius = prefs.querySelector('[name="show_palladius"]').checked;
      lesson.classList.remove("zh-mode-on", "zh-mode-off", "zh-mode-above");
      lesson.classList.add("zh-mode-" + mode);
      lesson.classList.toggle("show-palladius", palladius);
      var needsReload = ["tone_sandhi", "hsk_level"].indexOf(event.target.name) >= 0;
      fetch(prefs.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrf(prefs) },
        body: new FormData(prefs)
      }).then(function () { if (needsReload) window.location.reload(); });
    });
  }
})();
