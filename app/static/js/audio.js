/* Qiao audio buttons: play clips in the page (one at a time), keyboard-accessible, and say
   so clearly when a clip cannot be played. Without this script the buttons are plain links
   to the clips. Markup: app/ui/templates/ui/_audio.html. */
(function () {
  "use strict";

  var player = null;
  var current = null;

  function box(button) {
    return button.closest("[data-audio]");
  }

  function say(button, message) {
    var group = box(button);
    var status = group && group.querySelector(".audio-status");
    if (status) {
      status.textContent = message;
    }
  }

  function setState(button, state) {
    button.classList.remove("is-loading", "is-playing", "is-error");
    if (state) {
      button.classList.add("is-" + state);
    }
    button.setAttribute("aria-pressed", state === "loading" || state === "playing" ? "true" : "false");
    var group = box(button);
    if (group) {
      group.classList.toggle("has-error", state === "error");
    }
  }

  function fail(button) {
    if (!button) {
      return;
    }
    setState(button, "error");
    var group = box(button);
    var status = group && group.querySelector(".audio-status");
    say(button, (status && status.getAttribute("data-error")) || "Audio unavailable");
    if (current === button) {
      current = null;
    }
  }

  function ensurePlayer() {
    if (player) {
      return player;
    }
    player = new Audio();
    player.preload = "auto";
    player.addEventListener("playing", function () {
      if (current) {
        setState(current, "playing");
      }
    });
    player.addEventListener("waiting", function () {
      if (current) {
        setState(current, "loading");
      }
    });
    ["pause", "ended"].forEach(function (name) {
      player.addEventListener(name, function () {
        if (current) {
          setState(current, null);
          current = null;
        }
      });
    });
    player.addEventListener("error", function () {
      fail(current);
    });
    return player;
  }

  function stop() {
    var was = current;
    current = null;
    if (player && !player.paused) {
      player.pause();
    }
    if (was) {
      setState(was, null);
    }
    return was;
  }

  function play(button) {
    var was = stop();
    if (was === button) {
      return; // a second press on the playing button stops it
    }
    var audio = ensurePlayer();
    current = button;
    setState(button, "loading");
    say(button, "");
    audio.src = button.getAttribute("data-audio-src");
    var started = audio.play();
    if (started && typeof started.catch === "function") {
      started.catch(function (error) {
        if (error && error.name === "AbortError") {
          return; // another button was pressed meanwhile
        }
        if (current === button) {
          fail(button);
        }
      });
    }
  }

  function enhance(root) {
    root.querySelectorAll("[data-audio-src]").forEach(function (link) {
      link.setAttribute("role", "button");
      link.setAttribute("aria-pressed", "false");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-audio-src]");
    if (!button || event.defaultPrevented || event.button !== 0) {
      return;
    }
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // let the browser open the clip in a new tab
    }
    event.preventDefault();
    play(button);
  });

  // Links answer Enter; buttons also answer Space.
  document.addEventListener("keydown", function (event) {
    if (event.key !== " " && event.key !== "Spacebar") {
      return;
    }
    var button = event.target.closest && event.target.closest("[data-audio-src]");
    if (button) {
      event.preventDefault();
      play(button);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }

  window.QiaoAudio = { play: play, stop: stop, enhance: enhance };
})();
