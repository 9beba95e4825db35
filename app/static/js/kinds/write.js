// Handwriting (the kind app/exercises/kinds/write.py and the review's «writing» cards): a
// hanzi-writer quiz per character on the pad of ui/_write_pad.html. Mouse, finger and pen all
// draw (hanzi-writer listens to mouse and touch events, which pens produce too; the box has
// `touch-action: none` so that a finger draws instead of scrolling).
// - exercise: trace every character over its outline (a hint after each miss), then write them
//   from memory on an empty box; the mistakes of the second round, one count per character, go
//   to the hidden `answer` and the form is sent: the server decides.
// - review: from memory at once; the result suggests a rating (no mistakes: Good, mistakes or
//   hints within the allowance: Hard, more: Again) and the card turns; the learner may press
//   another rating. review.js tells this script about each card it shows ("qiao:review-card").
// The library and the stroke data are loaded from the app; where they cannot be (no data, or
// offline without a saved copy) the pad says so and the card is rated by hand.
(function () {
  "use strict";

  var SIZE = 260;
  var loading = null;

  function loadLibrary(url) {
    if (window.HanziWriter) return Promise.resolve();
    if (!url) return Promise.reject(new Error("no library"));
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = function () { loading = null; reject(new Error("no library")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function fetchData(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("no stroke data");
      return response.json();
    });
  }

  function say(pad, name, values) {
    var message = pad.getAttribute("data-t-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      message = message.split("{" + key + "}").join(String(values[key]));
    });
    return message;
  }

  // One pad: `finish(counts, hinted)` is called when every character has been written from
  // memory. Without the strokes (`offline`: because there is no connection) it says so.
  function Pad(pad, finish, offline) {
    var items = Array.prototype.map.call(pad.querySelectorAll("[data-write-char]"), function (li) {
      return { char: li.getAttribute("data-write-char"), src: li.getAttribute("data-src"),
        allowed: Number(li.getAttribute("data-allowed")) || 0 };
    });
    var box = pad.querySelector(".write-box");
    var stage = pad.querySelector(".write-stage");
    var done = pad.querySelector(".write-done");
    var skip = pad.querySelector("[data-write-skip]");
    var hint = pad.querySelector("[data-write-hint]");
    var restart = pad.querySelector("[data-write-restart]");
    var review = pad.getAttribute("data-write") === "review";
    var data = [];
    var run = 0;
    var writer = null;
    var counts = [];
    var hinted = [];
    var phase = "trace";

    box.setAttribute("role", "application");
    box.setAttribute("aria-label", say(pad, "box"));

    function quiz(index, token) {
      if (token !== run) return;
      if (index >= items.length) {
        if (phase === "trace") {
          phase = "memory";
          done.textContent = "";
          quiz(0, token);
        } else {
          stage.textContent = say(pad, "done", { mistakes: counts.join(", ") });
          hint.disabled = true;
          if (skip) skip.hidden = true;
          finish(counts.slice(), hinted.slice(), items);
        }
        return;
      }
      var memory = phase === "memory";
      stage.textContent = say(pad, memory ? "memory" : "trace", { n: index + 1, total: items.length });
      hint.disabled = !memory;
      if (skip) skip.hidden = memory;
      box.textContent = "";
      var size = Math.min(SIZE, box.clientWidth || SIZE);
      box.style.height = size + "px";
      writer = window.HanziWriter.create(box, items[index].char, {
        width: size,
        height: size,
        padding: 8,
        renderer: "svg",
        showCharacter: false,
        showOutline: !memory,
        showHintAfterMisses: memory ? 3 : 1,
        markStrokeCorrectAfterMisses: memory ? 5 : false,
        strokeColor: "#1f2933",
        drawingColor: "#1f2933",
        outlineColor: "#d9dde3",
        highlightColor: "#c62828",
        highlightOnComplete: false,
        charDataLoader: function (_char, onLoad) { onLoad(data[index]); }
      });
      writer.quiz({
        onMistake: function (stroke) {
          if (memory && stroke.mistakesOnStroke >= 3) hinted[index] = true;
        },
        onComplete: function (summary) {
          if (token !== run) return;
          if (memory) {
            counts[index] = summary.totalMistakes;
            var written = document.createElement("li");
            written.lang = "zh-Hans";
            written.className = "han";
            written.textContent = items[index].char;
            done.appendChild(written);
          }
          window.setTimeout(function () { quiz(index + 1, token); }, 400);
        }
      });
    }

    function start(memoryFirst) {
      run += 1;
      counts = items.map(function () { return 0; });
      hinted = items.map(function () { return false; });
      phase = memoryFirst ? "memory" : "trace";
      done.textContent = "";
      hint.disabled = false;
      quiz(0, run);
    }

    hint.addEventListener("click", function () {
      if (!writer || phase !== "memory") return;
      var index = done.children.length;
      hinted[index] = true;
      writer.showOutline();
    });
    restart.addEventListener("click", function () { start(review); });
    if (skip) skip.addEventListener("click", function () { start(true); });

    pad.hidden = false;
    loadLibrary(pad.getAttribute("data-lib")).then(function () {
      return Promise.all(items.map(function (item) { return fetchData(item.src); }));
    }).then(function (loaded) {
      data = loaded;
      start(review);
    }).catch(function () {
      box.hidden = true;
      pad.querySelector(".write-tools").hidden = true;
      stage.textContent = say(pad, offline || navigator.onLine === false ? "offline" : "missing");
    });
  }

  // ------------------------------------------------------------------ the lesson's exercise

  // (no Qiao helpers here: offline, the review page has only its own saved scripts)
  var forms = document.querySelectorAll(".kind-write form.exercise-form");
  Array.prototype.forEach.call(forms, function (form) {
    var pad = form.querySelector("[data-write]");
    var answer = form.querySelector('input[name="answer"]');
    var submit = form.querySelector('button[type="submit"]');
    submit.hidden = true;
    Pad(pad, function (counts) {
      answer.value = counts.join(" ");
      if (form.requestSubmit) form.requestSubmit(submit);
      else submit.click();
    });
  });

  // ------------------------------------------------------------------ the review's cards

  // The rating the result suggests: 3 Good without mistakes or hints, 1 Again when a character
  // has more mistakes than it is allowed, else 2 Hard.
  function rating(counts, hinted, items) {
    var over = counts.some(function (m, i) { return m > items[i].allowed; });
    if (over) return 1;
    var clean = counts.every(function (m, i) { return m === 0 && !hinted[i]; });
    return clean ? 3 : 2;
  }

  document.addEventListener("qiao:review-card", function (event) {
    var card = event.detail && event.detail.card;
    var pad = card && card.querySelector("[data-write=review]");
    if (!pad || card.classList.contains("is-revealed")) return;
    var reveal = card.querySelector("[data-action=reveal]");
    var finished = false;
    // turning the card before the characters are written: nothing was recalled
    reveal.addEventListener("click", function () {
      if (!finished && !card.hasAttribute("data-suggested")) card.setAttribute("data-suggested", "1");
    });
    Pad(pad, function (counts, hinted, items) {
      finished = true;
      var suggested = rating(counts, hinted, items);
      card.setAttribute("data-suggested", String(suggested));
      card.setAttribute("data-mistakes", counts.join(" "));
      var verdict = card.querySelector(".review-verdict");
      verdict.className = "review-verdict verdict-" + (suggested === 3 ? "correct" : suggested === 2 ? "wrong_tone" : "wrong");
      verdict.textContent = say(pad, suggested === 3 ? "good" : suggested === 2 ? "hard" : "again") + " " +
        say(pad, "done", { mistakes: counts.join(", ") });
      reveal.click();
    }, event.detail.offline);
  });
})();
