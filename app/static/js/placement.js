// The placement test's clock: counts down the seconds the server gave and sends the answers
// when the time is up (the server refuses answers that come later than its own deadline).
(function () {
  "use strict";
  const box = document.querySelector(".placement-timer[data-seconds]");
  const form = document.querySelector(".placement-form");
  if (!box || !form) return;
  const clock = box.querySelector(".placement-clock");
  const end = Date.now() + Number(box.dataset.seconds) * 1000;
  let sent = false;
  form.addEventListener("submit", () => { sent = true; });

  function tick() {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) {
      if (!sent) {
        sent = true;
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
      return;
    }
    window.setTimeout(tick, 1000 - ((end - Date.now()) % 1000 || 0));
  }
  tick();
})();
