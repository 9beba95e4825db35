/* Installs Qiao's service worker (app/static/js/sw.js, served at /sw.js) on every page. On a
   page seen signed out, forgets the pages and the review queue kept for offline use, so the
   next person on this device does not see them; answers not yet sent stay in their outbox
   (they carry their learner's id and are sent only in that learner's session). */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !window.isSecureContext) {
    return;
  }
  navigator.serviceWorker.register(script.getAttribute("data-sw"), { scope: "/" })
    .catch(function () { /* no offline use in this browser: the site works as before */ });
  if (script.getAttribute("data-signed-in") === "1") {
    return;
  }
  if (window.caches) {
    caches.delete("qiao-pages");
  }
  if (window.indexedDB) {
    var opening = indexedDB.open("qiao-review");
    opening.onupgradeneeded = function () {
      opening.transaction.abort(); // nothing kept yet: do not create an empty database
    };
    opening.onsuccess = function () {
      var db = opening.result;
      if (db.objectStoreNames.contains("queue")) {
        db.transaction("queue", "readwrite").objectStore("queue").clear();
      }
      db.close();
    };
  }
}());
