/* Qiao review session: keys 1–4 and space, answers through the JSON API without reloading,
   typed-answer checks, undo, bury and suspend, audio. Every shown card gets a review id made
   here; a failed or repeated send reuses it, so the server records the answer exactly once.
   Without this script the same page works with plain forms. Markup: review/_stage.html. */
(function () {
  "use strict";

  var root = document.getElementById("review");
  if (!root || !window.fetch) {
    return;
  }
  var stage = document.getElementById("review-stage");
  var errorBox = root.querySelector(".review-error");
  var csrf = root.getAttribute("data-csrf");
  var busy = false;

  function uuid4() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function currentCard() {
    return stage.querySelector(".review-card");
  }

  function isRevealed(card) {
    return card.classList.contains("is-revealed");
  }

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  function wait(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  function request(method, url, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  /* POST, retried on a network failure or a server error: the body (and its review id) stays
     the same, so a retry can never count twice. */
  function post(url, body, attempts) {
    return request("POST", url, body).then(function (result) {
      if (result.status >= 500 && attempts > 0) {
        return wait(600).then(function () {
          return post(url, body, attempts - 1);
        });
      }
      return result;
    }, function (error) {
      if (attempts > 0) {
        return wait(600).then(function () {
          return post(url, body, attempts - 1);
        });
      }
      throw error;
    });
  }

  function play(card) {
    var audio = card && card.querySelector("audio.review-audio");
    if (!audio) {
      return;
    }
    audio.currentTime = 0;
    var playing = audio.play();
    if (playing && playing.catch) {
      playing.catch(function () { /* autoplay refused: the controls are there */ });
    }
  }

  function prepare() {
    var card = currentCard();
    if (!card) {
      var done = stage.querySelector(".review-done h2");
      if (done) {
        done.setAttribute("tabindex", "-1");
        done.focus();
      }
      return;
    }
    card.setAttribute("data-client-shown", String(Date.now()));
    card.setAttribute("data-review-id", uuid4());
    var input = card.querySelector("#review-answer");
    if (input && !isRevealed(card)) {
      input.focus();
    } else {
      var prompt = card.querySelector(".review-prompt");
      prompt.setAttribute("tabindex", "-1");
      prompt.focus();
    }
    if (card.getAttribute("data-direction") === "listening" && !isRevealed(card)) {
      play(card);
    }
  }

  function load(cardId) {
    var url = root.getAttribute("data-next-url") + (cardId ? "?card_id=" + cardId : "");
    return request("GET", url).then(function (result) {
      if (result.status !== 200) {
        throw new Error(result.data.message || root.getAttribute("data-error-message"));
      }
      stage.innerHTML = result.data.html;
      prepare();
    });
  }

  function reveal() {
    var card = currentCard();
    if (!card || isRevealed(card)) {
      return;
    }
    card.classList.add("is-revealed");
    card.querySelector(".review-back").hidden = false;
    card.querySelector(".review-ratings").hidden = false;
    ["review-reveal", "review-typed"].forEach(function (name) {
      var element = card.querySelector("." + name);
      if (element) {
        element.hidden = true;
      }
    });
    var suggested = card.getAttribute("data-suggested") || "3";
    var button = card.querySelector(".rate-" + suggested);
    if (button) {
      button.classList.toggle("is-suggested", card.hasAttribute("data-suggested"));
      button.focus();
    }
  }

  function answer(rating) {
    var card = currentCard();
    if (!card || busy || !isRevealed(card)) {
      return;
    }
    busy = true;
    var body = {
      card_id: Number(card.getAttribute("data-card-id")),
      rating: rating,
      review_id: card.getAttribute("data-review-id"),
      duration_ms: Date.now() - Number(card.getAttribute("data-client-shown")),
      version: Number(card.getAttribute("data-version"))
    };
    card.classList.add("is-sending");
    post(root.getAttribute("data-answer-url"), body, 3).then(function (result) {
      if (result.status === 200) {
        showError("");
        return load();
      }
      if (result.status === 409 || result.status === 404) {
        showError(result.data.message);
        return load();
      }
      throw new Error(result.data.message || root.getAttribute("data-error-message"));
    }).catch(function (error) {
      card.classList.remove("is-sending");
      showError(error && error.message ? error.message : root.getAttribute("data-error-message"));
    }).then(function () {
      busy = false;
    });
  }

  function check(form) {
    var card = currentCard();
    var input = form.querySelector("#review-answer");
    busy = true;
    post(root.getAttribute("data-check-url"), {
      card_id: Number(card.getAttribute("data-card-id")),
      answer: input.value
    }, 2).then(function (result) {
      if (result.status !== 200) {
        throw new Error(result.data.message || root.getAttribute("data-error-message"));
      }
      var verdict = card.querySelector(".review-verdict");
      verdict.className = "review-verdict verdict-" + result.data.verdict;
      verdict.textContent = result.data.message + " ";
      if (result.data.given) {
        var given = document.createElement("span");
        given.className = "muted";
        given.textContent = root.getAttribute("data-typed-label") + " " + result.data.given;
        verdict.appendChild(given);
      }
      card.setAttribute("data-suggested", String(result.data.rating));
      showError("");
      reveal();
    }).catch(function (error) {
      showError(error.message);
    }).then(function () {
      busy = false;
    });
  }

  function undo() {
    var form = stage.querySelector(".review-undo");
    if (!form || busy) {
      return;
    }
    busy = true;
    post(root.getAttribute("data-undo-url"), { review_id: form.getAttribute("data-review-id") }, 2)
      .then(function (result) {
        if (result.status !== 200) {
          showError(result.data.message);
          return load();
        }
        showError("");
        return load(result.data.card_id);
      }).catch(function (error) {
        showError(error.message);
      }).then(function () {
        busy = false;
      });
  }

  function cardAction(form) {
    if (busy) {
      return;
    }
    busy = true;
    post(form.getAttribute("data-api"), {}, 2).then(function (result) {
      if (result.status !== 200) {
        showError(result.data.message);
      }
      return load();
    }).catch(function (error) {
      showError(error.message);
    }).then(function () {
      busy = false;
    });
  }

  stage.addEventListener("click", function (event) {
    var link = event.target.closest("[data-action=reveal]");
    if (link) {
      event.preventDefault();
      reveal();
    }
  });

  stage.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("review-ratings")) {
      event.preventDefault();
      var button = event.submitter || form.querySelector(".rate:focus") || form.querySelector(".rate-3");
      answer(Number(button.value));
    } else if (form.classList.contains("review-typed")) {
      event.preventDefault();
      check(form);
    } else if (form.classList.contains("review-undo")) {
      event.preventDefault();
      undo();
    } else if (form.hasAttribute("data-api")) {
      event.preventDefault();
      cardAction(form);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
        target.tagName === "SELECT" || target.isContentEditable)) {
      return;
    }
    var card = currentCard();
    var code = event.code || "";
    var digit = /^(Digit|Numpad)([1-4])$/.exec(code) || /^([1-4])$/.exec(event.key);
    if (code === "Space" || event.key === " ") {
      if (!card || (target && (target.tagName === "BUTTON" || target.tagName === "SUMMARY"))) {
        return; // a focused button answers by itself
      }
      event.preventDefault();
      if (!isRevealed(card)) {
        reveal();
      } else {
        answer(Number(card.getAttribute("data-suggested") || 3));
      }
    } else if (digit && card && isRevealed(card)) {
      event.preventDefault();
      answer(Number(digit[digit.length - 1]));
    } else if (code === "KeyR") {
      play(card);
    } else if (code === "KeyU") {
      undo();
    }
  });

  prepare();
}());
