/* Qiao review session: keys 1–4 and space, answers through the JSON API without reloading,
   typed-answer checks, undo, bury and suspend, audio. Every shown card gets a review id made
   here; a failed or repeated send reuses it, so the server records the answer exactly once.
   Without this script the same page works with plain forms. Markup: review/_stage.html.

   Offline: online, the page saves today's queue (GET /api/v1/review/queue: each card's HTML and
   version) in IndexedDB, its audio clips in the "qiao-audio" cache and the stroke data of its
   writing cards in "qiao-strokes" (both served offline by
   sw.js). Without a connection the cards come from there, and each answer goes to an outbox
   with its review id, version and time. Back online, the outbox is sent one answer at a time
   and an answer leaves it only when the server has it (recorded, or a duplicate of one it
   has): however often it is sent, it counts once. An answer the server refuses (the card
   changed meanwhile: 409) is kept and shown to the learner, not lost. */
(function () {
  "use strict";

  var root = document.getElementById("review");
  if (!root || !window.fetch) {
    return;
  }
  var stage = document.getElementById("review-stage");
  var errorBox = root.querySelector(".review-error");
  var csrf = root.getAttribute("data-csrf");
  var userId = root.getAttribute("data-user");
  var errorMessage = root.getAttribute("data-error-message");
  var statusBox = root.querySelector(".review-offline");
  var conflictBox = root.querySelector(".review-conflicts");
  var busy = false;
  /* studying from the saved queue: answers go to the outbox */
  var offline = false;

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

  /* An error the server explained (its Russian message), as opposed to a failed connection. */
  function ServerError(message) {
    this.message = message || errorMessage;
  }

  /* What to tell the learner: the server's words, or ours for a broken connection (never the
     browser's "Failed to fetch"). */
  function explain(error) {
    return error instanceof ServerError ? error.message : errorMessage;
  }

  function text(name, values) {
    var message = root.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      message = message.split("{" + key + "}").join(values[key]);
    });
    return message;
  }

  function wait(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  /* A JSON request with the CSRF token. A token that expired (the page stayed open, or came
     from the offline copy) is renewed once and the request repeated. */
  function request(method, url, body, renewed) {
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
        if (response.status === 400 && !renewed && data.error !== "bad_request") {
          return renewToken().then(function () {
            return request(method, url, body, true);
          }, function () {
            return { status: response.status, data: data };
          });
        }
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
    /* the handwriting pad (js/kinds/write.js) starts on a writing card */
    document.dispatchEvent(new CustomEvent("qiao:review-card", { detail: { card: card, offline: offline } }));
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
    if (offline) {
      return showNextSaved();
    }
    var url = root.getAttribute("data-next-url") + (cardId ? "?card_id=" + cardId : "");
    return request("GET", url).then(function (result) {
      if (result.status !== 200) {
        throw new ServerError(result.data.message);
      }
      stage.innerHTML = result.data.html;
      prepare();
    }, function () {
      return goOffline(true);
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
    /* online, the answer brings the next card with it: one request from card to card */
    var chained = { next: true };
    Object.keys(body).forEach(function (key) {
      chained[key] = body[key];
    });
    var attempt = offline ? Promise.reject(new Error("offline")) :
      post(root.getAttribute("data-answer-url"), chained, 3);
    attempt.then(function (result) {
      if (result.status === 200) {
        showError("");
        forget(body.card_id);
        if (result.data.next) {
          stage.innerHTML = result.data.next.html;
          prepare();
          return;
        }
        return load();
      }
      if (result.status === 409 || result.status === 404) {
        showError(result.data.message);
        forget(body.card_id);
        return load();
      }
      throw new ServerError(result.data.message);
    }, function () {
      /* no connection: the answer waits in the outbox, and the next saved card comes */
      body.answered_at = Date.now();
      body.hanzi = card.getAttribute("data-hanzi") || "";
      return keep(body).then(function () {
        return goOffline(true);
      });
    }).catch(function (error) {
      card.classList.remove("is-sending");
      showError(explain(error));
    }).then(function () {
      busy = false;
    });
  }

  function check(form) {
    var card = currentCard();
    var input = form.querySelector("#review-answer");
    busy = true;
    var checking = offline ? Promise.reject(new Error("offline")) :
      post(root.getAttribute("data-check-url"), {
        card_id: Number(card.getAttribute("data-card-id")),
        answer: input.value
      }, 2);
    checking.then(function (result) {
      if (result.status !== 200) {
        throw new ServerError(result.data.message);
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
    }, function (error) {
      if (error instanceof ServerError) {
        throw error;
      }
      /* no connection: the learner compares the answer with the card's back */
      var verdict = card.querySelector(".review-verdict");
      verdict.className = "review-verdict verdict-none";
      verdict.textContent = text("offline-check") + " ";
      var given = document.createElement("span");
      given.className = "muted";
      given.textContent = root.getAttribute("data-typed-label") + " " + input.value;
      verdict.appendChild(given);
      reveal();
    }).catch(function (error) {
      showError(explain(error));
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
        showError(explain(error));
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
      showError(explain(error));
    }).then(function () {
      busy = false;
    });
  }

  /* ---------------------------------------------------------------- offline: storage */

  var database = null;

  function openDatabase() {
    if (!window.indexedDB) {
      return Promise.reject(new Error("no IndexedDB"));
    }
    if (!database) {
      database = new Promise(function (resolve, reject) {
        var opening = indexedDB.open("qiao-review", 1);
        opening.onupgradeneeded = function () {
          var db = opening.result;
          db.createObjectStore("queue", { keyPath: "key" });
          db.createObjectStore("outbox", { keyPath: "review_id" });
          db.createObjectStore("conflicts", { keyPath: "review_id" });
        };
        opening.onsuccess = function () {
          resolve(opening.result);
        };
        opening.onerror = function () {
          reject(opening.error);
        };
      });
    }
    return database;
  }

  /* Run `work(store)` in one transaction; resolves with the result of the request it returns,
     once the transaction has committed. */
  function transact(name, mode, work) {
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var req = work(tx.objectStore(name));
        tx.oncomplete = function () {
          resolve(req ? req.result : undefined);
        };
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  function mine(name) {
    return transact(name, "readonly", function (store) {
      return store.getAll();
    }).then(function (rows) {
      return rows.filter(function (row) {
        return row.user === userId;
      });
    });
  }

  function keep(body) {
    body.user = userId;
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(["outbox", "queue"], "readwrite");
        tx.objectStore("outbox").put(body);
        tx.objectStore("queue").delete(userId + ":" + body.card_id);
        tx.oncomplete = resolve;
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  /* A card answered online leaves the saved queue (its version has changed). */
  function forget(cardId) {
    transact("queue", "readwrite", function (store) {
      return store.delete(userId + ":" + cardId);
    }).catch(function () { /* nothing saved */ });
  }

  function saveQueue(cards) {
    return mine("queue").then(function (old) {
      return transact("queue", "readwrite", function (store) {
        old.forEach(function (row) {
          store.delete(row.key);
        });
        cards.forEach(function (card, index) {
          card.key = userId + ":" + card.card_id;
          card.user = userId;
          card.order = index;
          store.put(card);
        });
      });
    }).then(function () {
      return Promise.all([saveAudio(cards), saveStrokes(cards)]);
    }).then(function () {
      var saved = root.querySelector(".review-saved");
      if (saved && cards.length) {
        saved.textContent = text("saved-message", { count: cards.length });
        saved.hidden = false;
      }
      return cards.length;
    });
  }

  function saveAudio(cards) {
    if (!window.caches) {
      return Promise.resolve();
    }
    return caches.open("qiao-audio").then(function (cache) {
      return Promise.all(cards.filter(function (card) {
        return card.audio;
      }).map(function (card) {
        return cache.match(card.audio).then(function (hit) {
          return hit || cache.add(card.audio);
        }).catch(function () { /* a clip that fails stays online-only */ });
      }));
    });
  }

  /* The stroke data of the writing cards, where sw.js looks for it offline ("qiao-strokes"). */
  function saveStrokes(cards) {
    if (!window.caches) {
      return Promise.resolve();
    }
    var urls = [];
    cards.forEach(function (card) {
      (card.strokes || []).forEach(function (url) {
        if (urls.indexOf(url) === -1) {
          urls.push(url);
        }
      });
    });
    if (!urls.length) {
      return Promise.resolve();
    }
    return caches.open("qiao-strokes").then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return cache.match(url).then(function (hit) {
          return hit || cache.add(url);
        }).catch(function () { /* this card is rated by hand offline */ });
      }));
    });
  }

  /* Keep this page for offline use too (sw.js serves it when the network fails). */
  function savePage() {
    if (!window.caches || !navigator.serviceWorker) {
      return Promise.resolve();
    }
    var url = root.getAttribute("data-page-url");
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.ok && !response.redirected) {
        return caches.open("qiao-pages").then(function (cache) {
          return cache.put(url, response);
        });
      }
    });
  }

  /* Save today's queue; a failed connection means this page came from the offline copy. */
  function refreshQueue() {
    return request("GET", root.getAttribute("data-queue-url")).then(function (result) {
      if (result.status === 200 && result.data.cards) {
        return saveQueue(result.data.cards).then(function (count) {
          return savePage().then(function () {
            root.setAttribute("data-offline-ready", String(count));
          });
        });
      }
    }, function () {
      return goOffline(true);
    }).catch(function () { /* no storage here: the session works online only */ });
  }

  /* ---------------------------------------------------------------- offline: studying */

  function setCount(counts, name, value) {
    var number = counts.querySelector(".count-" + name + " strong");
    if (number) {
      number.textContent = String(value);
    }
  }

  function showNextSaved() {
    return mine("queue").then(function (rows) {
      rows.sort(function (a, b) {
        return a.order - b.order;
      });
      var counts = stage.querySelector(".review-counts");
      if (rows.length) {
        stage.innerHTML = rows[0].html;
      } else {
        stage.innerHTML = '<section class="card review-done"><h2></h2><p></p></section>';
        stage.querySelector("h2").textContent = text("offline-done-title");
        stage.querySelector("p").textContent = text("offline-done");
      }
      if (counts) {
        ["learning", "review", "new"].forEach(function (name) {
          setCount(counts, name, rows.filter(function (row) {
            return row.bucket === name;
          }).length);
        });
        stage.insertBefore(counts, stage.firstChild);
      }
      prepare();
    });
  }

  function showStatus() {
    return mine("outbox").then(function (waiting) {
      root.setAttribute("data-pending", String(waiting.length));
      var lines = [];
      if (offline) {
        lines.push(text("offline-message"));
      }
      if (waiting.length) {
        lines.push(text("pending-message", { count: waiting.length }));
      }
      statusBox.textContent = lines.join(" ");
      statusBox.hidden = !lines.length;
    }).catch(function () { /* no storage: nothing is waiting */ });
  }

  function goOffline(showNext) {
    var wasOffline = offline;
    offline = true;
    return showStatus().then(function () {
      if (showNext || !wasOffline && !currentCard()) {
        return showNextSaved();
      }
    });
  }

  /* ---------------------------------------------------------------- offline: sending */

  function showConflicts() {
    return mine("conflicts").then(function (rows) {
      var list = conflictBox.querySelector("ul");
      list.textContent = "";
      rows.forEach(function (row) {
        var item = document.createElement("li");
        item.textContent = text("conflict-message", {
          hanzi: row.hanzi || "?",
          rating: text("rating-" + row.rating)
        });
        list.appendChild(item);
      });
      conflictBox.hidden = !rows.length;
    }).catch(function () { /* no storage */ });
  }

  /* A fresh CSRF token: the saved page's one may have expired while offline. */
  function renewToken() {
    return fetch(root.getAttribute("data-page-url"), { credentials: "same-origin" })
      .then(function (response) {
        return response.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("review");
        if (!fresh) {
          throw new Error("signed out");
        }
        csrf = fresh.getAttribute("data-csrf");
      });
  }

  function sendOne(row) {
    var body = {
      card_id: row.card_id,
      rating: row.rating,
      review_id: row.review_id,
      duration_ms: row.duration_ms,
      version: row.version,
      answered_at: row.answered_at
    };
    return request("POST", root.getAttribute("data-answer-url"), body).then(function (result) {
      if (result.status === 200) {
        return transact("outbox", "readwrite", function (store) {
          return store.delete(row.review_id);
        }).then(function () {
          return 1;
        });
      }
      if (result.status === 409 || result.status === 404 ||
          (result.status === 400 && result.data.error === "bad_request")) {
        row.error = result.data.message || "";
        return openDatabase().then(function (db) {
          return new Promise(function (resolve, reject) {
            var tx = db.transaction(["outbox", "conflicts"], "readwrite");
            tx.objectStore("conflicts").put(row);
            tx.objectStore("outbox").delete(row.review_id);
            tx.oncomplete = function () {
              resolve(0);
            };
            tx.onerror = tx.onabort = function () {
              reject(tx.error);
            };
          });
        });
      }
      if (result.status === 401 || result.status === 403) {
        throw new ServerError(text("signin-message"));
      }
      throw new Error("not now");
    });
  }

  var sending = null;

  /* Send the outbox, oldest answer first; stops at the first failed connection (the rest wait
     for the next try). Never two sends at once from this page. */
  function flush() {
    if (sending) {
      return sending;
    }
    sending = mine("outbox").then(function (rows) {
      rows.sort(function (a, b) {
        return a.answered_at - b.answered_at;
      });
      var sent = 0;
      function next(index) {
        if (index >= rows.length) {
          return sent;
        }
        return sendOne(rows[index]).then(function (count) {
          sent += count;
          return next(index + 1);
        });
      }
      return next(0).then(function (count) {
        if (count) {
          var done = root.querySelector(".review-sent");
          done.textContent = text("sent-message", { count: count });
          done.hidden = false;
        }
      });
    }).catch(function (error) {
      if (error instanceof ServerError) {
        showError(error.message);
      }
    }).then(function () {
      sending = null;
      return Promise.all([showStatus(), showConflicts()]);
    });
    return sending;
  }

  function backOnline() {
    var wasOffline = offline;
    offline = false;
    return flush().then(function () {
      if (wasOffline && !currentCard()) {
        return load();
      }
    }).then(refreshQueue);
  }

  conflictBox.querySelector("button").addEventListener("click", function () {
    mine("conflicts").then(function (rows) {
      return transact("conflicts", "readwrite", function (store) {
        rows.forEach(function (row) {
          store.delete(row.review_id);
        });
      });
    }).then(showConflicts);
  });
  window.addEventListener("online", backOnline);
  /* The network may be back without an "online" event (the server was down): look again now
     and then, and send what waits. */
  window.setInterval(function () {
    if (offline && navigator.onLine !== false && !sending) {
      request("GET", root.getAttribute("data-queue-url")).then(backOnline, function () {});
    }
  }, 20000);
  window.addEventListener("offline", function () {
    goOffline(false);
  });

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
  showConflicts();
  if (navigator.onLine === false) {
    goOffline(true);
  } else {
    flush().then(refreshQueue);
  }
}());
