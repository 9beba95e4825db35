// Follows a background job: polls its JSON until it is done or failed and updates the page.
(function () {
  "use strict";
  const box = document.querySelector("[data-job-url]");
  if (!box || box.dataset.finished === "true") return;
  const status = box.querySelector(".job-status");
  const bar = box.querySelector("progress");
  const message = box.querySelector(".job-message");
  const error = box.querySelector(".job-error");
  const retry = box.querySelector(".job-retry");
  const outcome = box.querySelector(".job-outcome");
  const links = box.querySelector(".job-links");

  function show(job) {
    status.textContent = job.status_label;
    bar.value = job.progress;
    bar.textContent = job.progress + " %";
    message.textContent = job.message;
    error.textContent = job.error;
    error.hidden = !job.error;
    retry.hidden = !(job.status === "queued" && job.attempts > 0);
    outcome.replaceChildren();
    (job.outcome || []).forEach((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      outcome.append(item);
    });
    outcome.hidden = !(job.outcome && job.outcome.length);
    links.replaceChildren();
    (job.links || []).forEach((line) => {
      const link = document.createElement("a");
      link.className = "button";
      link.href = line.url;
      link.textContent = line.text;
      links.append(link, " ");
    });
    links.hidden = !(job.links && job.links.length);
  }

  function poll() {
    fetch(box.dataset.jobUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((job) => {
        show(job);
        if (job.finished) {
          box.dataset.finished = "true";
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(() => window.setTimeout(poll, 3000));
  }
  window.setTimeout(poll, 500);
})();
