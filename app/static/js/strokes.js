/* Qiao stroke order: each [data-strokes] box animates its character with hanzi-writer
   (app/static/vendor/hanzi-writer.min.js, installed by `make frontend`), loading the stroke
   data from the app itself (data-src). The radical's strokes are drawn in a second colour.
   When the data cannot be loaded the box says there is no animation, never an error.
   Markup: app/learn/templates/learn/_strokes.html. */
(function () {
  "use strict";

  var SIZE = 180;

  function missing(box) {
    var target = box.querySelector(".strokes-target");
    var play = box.querySelector("[data-strokes-play]");
    if (target) { target.hidden = true; }
    if (play) { play.hidden = true; }
    box.querySelector(".strokes-missing").hidden = false;
  }

  function loader(url, box) {
    return function (_char, onLoad, onError) {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("no stroke data"); }
          return response.json();
        })
        .then(onLoad)
        .catch(function (error) {
          missing(box);
          onError(error);
        });
    };
  }

  function start(box) {
    var target = box.querySelector(".strokes-target");
    var play = box.querySelector("[data-strokes-play]");
    var still = target.querySelector(".strokes-still");
    var writer = window.HanziWriter.create(target, box.dataset.char, {
      width: SIZE,
      height: SIZE,
      padding: 6,
      showOutline: true,
      showCharacter: true,
      strokeColor: "#1f2933",
      radicalColor: "#c62828",
      outlineColor: "#d9dde3",
      strokeAnimationSpeed: 1,
      delayBetweenStrokes: 200,
      renderer: "svg",
      charDataLoader: loader(box.dataset.src, box),
      onLoadCharDataSuccess: function () {
        if (still) { still.remove(); }
        play.hidden = false;
        box.classList.add("strokes-ready");
      },
      onLoadCharDataError: function () { missing(box); }
    });
    play.addEventListener("click", function () {
      box.classList.remove("strokes-done");
      writer.animateCharacter({
        onComplete: function () { box.classList.add("strokes-done"); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-strokes]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (!window.HanziWriter) { missing(box); return; }
      start(box);
    });
  });
}());
