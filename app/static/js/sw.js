/* Qiao's service worker, served at /sw.js (scope: the whole site) by app/pwa/routes.py, which
   fills in VERSION and SHELL. What it keeps for use without a connection:
   - the shell (stylesheet, review script, icons, the /offline page): cache first, replaced
     when a release changes any of them (a new VERSION installs a new worker);
   - the review session page: network first, the last good copy when the network fails;
   - audio clips the review page saved for today's cards (cache "qiao-audio"): cache first;
   - a word's page (/words/…) the learner opened: network first, the last good copy offline;
     its stroke data (/strokes/….json, fixed within a release) cache first, and the scripts
     that animate it network first (cache "qiao-strokes"), so strokes seen once play offline;
     the review page saves the stroke data of today's writing cards there too, and the
     handwriting script (js/kinds/write.js) is kept like the animation's.
   Any other page falls back to /offline. The JSON API is never cached nor intercepted: answers
   made offline wait in the page's IndexedDB outbox and are sent by review.js, once each. */
"use strict";

var VERSION = "__VERSION__";
var SHELL = ["__SHELL__"];
var OFFLINE_URL = SHELL[0];
var SHELL_CACHE = "qiao-shell-" + VERSION;
var PAGES_CACHE = "qiao-pages";
var AUDIO_CACHE = "qiao-audio";
var STROKES_CACHE = "qiao-strokes";
var OFFLINE_PAGES = ["/review/"];
var STROKE_SCRIPTS = ["/static/vendor/hanzi-writer.min.js", "/static/js/strokes.js",
  "/static/js/kinds/write.js"];

function keptOffline(path) {
  return OFFLINE_PAGES.indexOf(path) !== -1 || path.indexOf("/words/") === 0;
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("qiao-shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () {
    return self.clients.claim();
  }));
});

function page(request, url) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected && keptOffline(url.pathname)) {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) {
        return cache.put(url.pathname, copy);
      });
    }
    return response;
  }).catch(function () {
    return caches.match(url.pathname, { cacheName: PAGES_CACHE }).then(function (saved) {
      return saved || caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE });
    }).then(function (saved) {
      return saved || Response.error();
    });
  });
}

function cacheFirst(request, cacheName) {
  return caches.match(request.url, { cacheName: cacheName }).then(function (saved) {
    return saved || fetch(request);
  });
}

function saving(request, response, cacheName) {
  if (response.ok) {
    var copy = response.clone();
    caches.open(cacheName).then(function (cache) {
      return cache.put(request.url, copy);
    });
  }
  return response;
}

function cacheFirstSaving(request, cacheName) {
  return caches.match(request.url, { cacheName: cacheName }).then(function (saved) {
    return saved || fetch(request).then(function (response) {
      return saving(request, response, cacheName);
    });
  });
}

function networkFirst(request, cacheName) {
  return fetch(request).then(function (response) {
    return saving(request, response, cacheName);
  }).catch(function () {
    return caches.match(request.url, { cacheName: cacheName }).then(function (saved) {
      return saved || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.indexOf("/audio/") === 0) {
    event.respondWith(cacheFirst(request, AUDIO_CACHE));
  } else if (url.pathname.indexOf("/strokes/") === 0) {
    event.respondWith(cacheFirstSaving(request, STROKES_CACHE));
  } else if (STROKE_SCRIPTS.indexOf(url.pathname) !== -1) {
    event.respondWith(networkFirst(request, STROKES_CACHE));
  } else if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(cacheFirst(request, SHELL_CACHE));
  }
});
