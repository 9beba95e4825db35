/* Qiao's service worker, served at /sw.js (scope: the whole site) by app/pwa/routes.py, which
   fills in VERSION and SHELL. What it keeps for use without a connection:
   - the shell (stylesheet, review script, icons, the /offline page): cache first, replaced
     when a release changes any of them (a new VERSION installs a new worker);
   - the review session page: network first, the last good copy when the network fails;
   - audio clips the review page saved for today's cards (cache "qiao-audio"): cache first.
   Any other page falls back to /offline. The JSON API is never cached nor intercepted: answers
   made offline wait in the page's IndexedDB outbox and are sent by review.js, once each. */
"use strict";

var VERSION = "__VERSION__";
var SHELL = ["__SHELL__"];
var OFFLINE_URL = SHELL[0];
var SHELL_CACHE = "qiao-shell-" + VERSION;
var PAGES_CACHE = "qiao-pages";
var AUDIO_CACHE = "qiao-audio";
var OFFLINE_PAGES = ["/review/"];

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
    if (response.ok && !response.redirected && OFFLINE_PAGES.indexOf(url.pathname) !== -1) {
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
  } else if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(cacheFirst(request, SHELL_CACHE));
  }
});
