// Lesson page (and the trainer's preview of a draft): a guided lesson one step at a time with a
// progress bar, answers without reloading, the live score, feedback and the results where the
// learner is, display preferences. The exercise kinds' own scripts (word-order tiles, tap-to-pair
// matching) are in js/kinds/.
// Everything here is an enhancement: without JavaScript the lesson is one page of plain forms.
(function () {
  "use strict";

  var each = Qiao.each;

  // a list answer (word order, matching: the kind says so in data-multi) is its part-N selects
  function answerOf(form, submitter) {
    if (submitter && submitter.name === "answer") return submitter.value;  // say: «skip»
    if (form.hasAttribute("data-multi")) {
      return Array.prototype.map.call(
        form.querySelectorAll('select[name^="part-"]'),
        function (s) { return s.value; }
      );
    }
    var checked = form.querySelector('input[name="answer"]:checked');
    if (checked) return checked.value;
    // typed, or filled in by the kind's script (handwriting: the mistakes per character)
    var text = form.querySelector('input[name="answer"][type="text"], input[name="answer"][type="hidden"]');
    return text ? text.value : "";
  }

  // ------------------------------------------------------------------ guided lesson (steps)

  var lesson = document.getElementById("lesson");
  var guide = null;

  function setupGuide() {
    if (!lesson || !lesson.hasAttribute("data-guided")) return null;
    var steps = Array.prototype.slice.call(lesson.querySelectorAll("[data-step]"));
    if (steps.length < 2) return null;
    var bar = lesson.querySelector(".guide-bar");
    var fill = bar.querySelector(".guide-fill");
    var meter = bar.querySelector(".guide-progress");
    var label = bar.querySelector(".guide-step");
    var toggle = bar.querySelector(".guide-toggle");
    var nav = lesson.querySelector(".step-nav");
    var back = nav.querySelector("[data-step-back]");
    var next = nav.querySelector("[data-step-next]");
    var exercises = lesson.querySelector(".exercises");
    var current = 0;
    var guided = true;

    function show(index, focus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, i) { step.hidden = guided && i !== current; });
      var step = steps[current];
      if (exercises) exercises.hidden = guided && !exercises.contains(step);
      var percent = Math.round((100 * (current + 1)) / steps.length);
      fill.style.width = percent + "%";
      meter.setAttribute("aria-valuenow", String(percent));
      label.textContent = lesson.dataset.tStep
        .replace("{n}", String(current + 1)).replace("{total}", String(steps.length));
      back.disabled = current === 0;
      next.hidden = current === steps.length - 1;
      step.appendChild(nav);  // the way on sits under what the learner is reading
      if (focus) {
        var heading = step.querySelector("h2, h3");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus({ preventScroll: true });
        }
        step.scrollIntoView({ block: "start" });
      }
      if (window.history && history.replaceState) {
        history.replaceState(null, "", "#step-" + (current + 1));
      }
    }

    function setGuided(on) {
      guided = on;
      lesson.classList.toggle("is-guided", on);
      nav.hidden = !on;
      bar.querySelector(".guide-progress").hidden = !on;
      label.hidden = !on;
      toggle.textContent = on ? toggle.dataset.tAll : toggle.dataset.tSteps;
      if (on) {
        show(current, false);
      } else {
        steps.forEach(function (step) { step.hidden = step.hasAttribute("data-step-empty"); });
        if (exercises) exercises.hidden = false;
      }
    }

    back.addEventListener("click", function () { show(current - 1, true); });
    next.addEventListener("click", function () { show(current + 1, true); });
    toggle.addEventListener("click", function () { setGuided(!guided); });
    bar.hidden = false;
    steps.forEach(function (step) { if (step.hidden) step.setAttribute("data-step-empty", ""); });
    var start = 0;
    var wanted = /^#step-(\d+)$/.exec(window.location.hash);
    var anchor = !wanted && window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (wanted) {
      start = parseInt(wanted[1], 10) - 1;
    } else if (anchor) {
      steps.forEach(function (step, i) { if (step === anchor || step.contains(anchor)) start = i; });
    }
    setGuided(true);
    show(start, false);
    return {
      stepOf: function (el) { return steps.indexOf(el.closest("[data-step]")); },
      focusNext: function () { if (guided && !next.hidden) next.focus({ preventScroll: true }); },
      isGuided: function () { return guided; },
      showSummary: function () {
        var summary = document.getElementById("lesson-summary");
        if (!summary) return;
        summary.removeAttribute("data-step-empty");
        if (!guided) summary.hidden = false;
      },
      goTo: function (el) { show(steps.indexOf(el), true); }
    };
  }

  // ------------------------------------------------------------------ answers

  function sendStudy(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      Qiao.postForm(form.action, form).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        // every «review these words» of the page now says they are in the reviews
        each(document, "form.study-form", function (other) {
          var done = document.createElement("p");
          done.className = "studied";
          done.setAttribute("role", "status");
          done.textContent = "✓ " + other.dataset.done + " ";
          var link = document.createElement("a");
          link.href = other.dataset.reviewUrl;
          link.textContent = other.dataset.reviewLabel + " →";
          done.appendChild(link);
          other.replaceWith(done);
        });
      }).catch(function () {
        form.submit();
      });
    });
  }

  function showResults(data) {
    var score = document.getElementById("lesson-score");
    if (score && data.score_html) score.innerHTML = data.score_html;
    var summary = document.getElementById("lesson-summary");
    if (summary && data.summary_html) {
      summary.innerHTML = data.summary_html;
      each(summary, "form.study-form", sendStudy);
      if (data.all_answered && guide) guide.showSummary();
      else if (data.all_answered) summary.hidden = false;
    }
  }

  function completionNote(card, data) {
    // Lesson (or course) complete: say so right under the answer, with where to go.
    var note = document.createElement("div");
    note.className = "flash flash-success lesson-done";
    note.setAttribute("role", "status");
    note.textContent = data.message + " ";
    var link = document.createElement("a");
    var summary = document.getElementById("lesson-summary");
    var title = summary && summary.querySelector("h2");
    if (title && !data.course_completed_now) {
      link.href = "#lesson-summary";
      link.textContent = title.textContent + " →";
      link.addEventListener("click", function (event) {
        if (!guide || !guide.isGuided()) return;
        event.preventDefault();
        guide.goTo(summary);
      });
    } else {
      link.href = data.next_url;
      link.textContent = (data.course_completed_now ? lesson.dataset.tCertificates : lesson.dataset.tCourse) + " →";
    }
    note.appendChild(link);
    card.querySelector(".feedback").appendChild(note);
  }

  function missing(form) {
    if (!form.hasAttribute("data-multi")) return false;
    return Array.prototype.some.call(
      form.querySelectorAll('select[name^="part-"]'), function (s) { return !s.value; }
    );
  }

  var started = Date.now();

  // Show what the server said of an answer (also called by the say kind's script, which sends
  // a recording instead of a typed answer).
  function answered(form, data) {
    var card = form.closest(".exercise");
    var feedback = card.querySelector(".feedback");
    var idField = form.querySelector('input[name="submission_id"]');
    feedback.innerHTML = data.html;
    card.classList.toggle("answered-right", data.correct);
    card.classList.toggle("answered-wrong", !data.correct);
    idField.value = Qiao.uuid();  // a new answer from now on; a retry of this one reused the id
    showResults(data);
    if (data.message) completionNote(card, data);
    feedback.scrollIntoView({ block: "nearest" });
    if (data.correct && guide) guide.focusNext();
  }
  window.QiaoLesson = { answered: answered };

  each(document, "form.exercise-form", function (form) {
    var shownAt = started;
    form.addEventListener("focusin", function () { if (shownAt === started) shownAt = Date.now(); });
    form.addEventListener("submit", function (event) {
      var card = form.closest(".exercise");
      var feedback = card.querySelector(".feedback");
      if (missing(form)) {
        event.preventDefault();
        feedback.innerHTML = "";
        var hint = document.createElement("p");
        hint.className = "verdict partial";
        hint.setAttribute("role", "status");
        hint.textContent = form.dataset.tIncomplete;
        feedback.appendChild(hint);
        return;
      }
      if (!form.checkValidity()) return;
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      var idField = form.querySelector('input[name="submission_id"]');
      button.disabled = true;
      Qiao.postJSON(form.dataset.json, {
        answer: answerOf(form, event.submitter),
        submission_id: idField.value,
        duration_ms: Date.now() - shownAt
      }, form).then(function (data) {
        answered(form, data);
        shownAt = Date.now();
      }).catch(function () {
        var submitter = event.submitter;
        if (submitter && submitter.name) {  // form.submit() sends no button: say which one
          var pressed = document.createElement("input");
          pressed.type = "hidden";
          pressed.name = submitter.name;
          pressed.value = submitter.value;
          form.appendChild(pressed);
        }
        form.submit();  // fall back to the plain form
      }).finally(function () {
        button.disabled = false;
      });
    });
  });

  each(document, "form.study-form", sendStudy);

  guide = setupGuide();

  // ------------------------------------------------------------------ display preferences

  // Pinyin on/off/above and Palladius switch at once and are remembered.
  var prefs = document.getElementById("display-prefs");
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
      Qiao.postForm(prefs.action, prefs).then(function () { if (needsReload) window.location.reload(); });
    });
  }
})();
