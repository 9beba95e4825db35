/* Study time: count the seconds this page is visible and the learner is not idle, and send
   them to the server about once a minute (and when the page is hidden or left). Reading
   counts: scrolling, pointer and keys keep the page "active" for IDLE_MS after each event.
   Leaving is caught at "beforeunload", before the next request (a sign-out) goes out, so the
   beacon still carries the session. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.url) { return; }
  var URL_ = script.dataset.url;
  var COURSE = script.dataset.course || "";
  var TICK_MS = 5000;
  var SEND_EVERY_S = 60;
  var IDLE_MS = 5 * 60 * 1000;
  var pending = 0;
  var lastActivity = Date.now();
  var lastTick = Date.now();

  function active() {
    return document.visibilityState === "visible" && Date.now() - lastActivity < IDLE_MS;
  }

  function send() {
    var seconds = Math.floor(pending);
    if (seconds < 1) { return; }
    pending -= seconds;
    var body = new FormData();
    body.append("csrf_token", Qiao.csrfToken());
    body.append("seconds", String(seconds));
    if (COURSE) { body.append("course", COURSE); }
    if (navigator.sendBeacon && navigator.sendBeacon(URL_, body)) { return; }
    fetch(URL_, { method: "POST", body: body, credentials: "same-origin", keepalive: true })
      .catch(function () { /* lost: study time is an estimate, never an error for the learner */ });
  }

  function tick() {
    var now = Date.now();
    if (active()) { pending += Math.min(now - lastTick, TICK_MS * 2) / 1000; }
    lastTick = now;
    if (pending >= SEND_EVERY_S) { send(); }
  }

  ["pointerdown", "keydown", "scroll", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true });
  });
  document.addEventListener("visibilitychange", function () {
    tick();
    if (document.visibilityState === "hidden") { send(); }
    else { lastActivity = Date.now(); lastTick = Date.now(); }
  });
  window.addEventListener("beforeunload", function () { tick(); send(); });
  window.setInterval(tick, TICK_MS);
})();
