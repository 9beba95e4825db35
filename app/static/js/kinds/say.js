// Say it aloud (the kind app/exercises/kinds/say.py, and «Сказать» beside a word or a dialogue
// line): record with MediaRecorder (at most 15 s), turn the take into a 16 kHz mono WAV in the
// page, send it with the CSRF token and show what the server read. Nothing is kept here.
// Without a microphone (refused, absent, or no API) the page says so and the exercise can be
// skipped with its plain «skip» button; the rest of the lesson works as before.
(function () {
  "use strict";

  var MAX_MS = 15000;
  var RATE = 16000;
  var texts = document.getElementById("say-texts");
  var Context = window.AudioContext || window.webkitAudioContext;
  var supported = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia &&
    window.MediaRecorder && Context && window.OfflineAudioContext);

  function t(name) { return (texts && texts.getAttribute("data-t-" + name)) || ""; }

  function micMessage(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return t("denied");
    }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "NotReadableError" ||
        name === "OverconstrainedError") {
      return t("absent");
    }
    return t("unsupported");
  }

  function wav(samples, rate) {
    var buffer = new ArrayBuffer(44 + samples.length * 2);
    var view = new DataView(buffer);
    function text(offset, value) {
      for (var i = 0; i < value.length; i++) view.setUint8(offset + i, value.charCodeAt(i));
    }
    text(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
    text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true);
    view.setUint16(22, 1, true); view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true);
    view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    text(36, "data"); view.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([buffer], { type: "audio/wav" });
  }

  // whatever MediaRecorder made (WebM/Opus, Ogg, MP4) → 16 kHz mono WAV
  function toWav(blob) {
    return blob.arrayBuffer().then(function (data) {
      var context = new Context();
      return context.decodeAudioData(data).then(function (audio) {
        context.close();
        var length = Math.max(1, Math.ceil(audio.duration * RATE));
        var offline = new OfflineAudioContext(1, length, RATE);
        var source = offline.createBufferSource();
        source.buffer = audio;
        source.connect(offline.destination);
        source.start();
        return offline.startRendering();
      });
    }).then(function (rendered) { return wav(rendered.getChannelData(0), RATE); });
  }

  // One recorder panel: a record/stop button, a status line and the result.
  function setup(box, onResult) {
    var status = box.querySelector("[data-say-status]");
    var result = box.querySelector("[data-say-result]");
    var url = box.getAttribute("data-say-url");
    if (!url) return null;
    if (!supported) {
      status.textContent = t("unsupported");
      return null;
    }
    status.textContent = "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button primary say-record";
    button.textContent = "● " + t("record");
    box.insertBefore(button, status);
    // «keep»: unticked by default, the recording is discarded once read
    var keepLabel = document.createElement("label");
    keepLabel.className = "say-keep";
    var keep = document.createElement("input");
    keep.type = "checkbox";
    keep.name = "keep";
    keep.value = "1";
    keepLabel.appendChild(keep);
    keepLabel.appendChild(document.createTextNode(" " + t("keep")));
    box.insertBefore(keepLabel, status);
    var recorder = null;
    var timer = null;

    function idle() {
      button.textContent = "● " + t("record");
      button.classList.remove("is-recording");
      button.disabled = false;
    }

    function send(blob) {
      status.textContent = t("reading");
      button.disabled = true;
      toWav(blob).then(function (take) {
        var body = new FormData();
        body.append("recording", take, "take.wav");
        var form = box.closest("form");
        var id = form && form.querySelector('input[name="submission_id"]');
        if (id) body.append("submission_id", id.value);
        if (keep.checked) body.append("keep", "1");
        return fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRFToken": Qiao.csrfToken(form) },
          body: body
        });
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw new Error(data.error || t("failed"));
          return data;
        });
      }).then(function (data) {
        status.textContent = "";
        result.innerHTML = data.say_html || data.html;
        if (onResult) onResult(data);
      }).catch(function (error) {
        status.textContent = (error && error.message && error.message.length > 3) ? error.message : t("failed");
      }).finally(idle);
    }

    function start() {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.addEventListener("dataavailable", function (event) {
          if (event.data && event.data.size) chunks.push(event.data);
        });
        recorder.addEventListener("stop", function () {
          clearTimeout(timer);
          stream.getTracks().forEach(function (track) { track.stop(); });
          recorder = null;
          send(new Blob(chunks, { type: chunks.length ? chunks[0].type : "audio/webm" }));
        });
        recorder.start();
        timer = setTimeout(function () { if (recorder) recorder.stop(); }, MAX_MS);
        button.textContent = "■ " + t("stop");
        button.classList.add("is-recording");
        status.textContent = t("recording");
        result.innerHTML = "";
      }).catch(function (error) {
        status.textContent = micMessage(error);
      });
    }

    button.addEventListener("click", function () {
      if (recorder) recorder.stop();
      else start();
    });
    return { start: start };
  }

  // say exercises: the answer is the recording; the lesson's script shows the verdict
  Qiao.each(document, ".kind-say [data-say]", function (box) {
    var form = box.closest("form");
    setup(box, function (data) {
      if (form && window.QiaoLesson) window.QiaoLesson.answered(form, data);
    });
  });

  // «Сказать» beside a word or a line: a panel under it, recording at once
  Qiao.each(document, "[data-say-item]", function (sayButton) {
    if (!supported) return;
    sayButton.hidden = false;
    var panel = null;
    sayButton.addEventListener("click", function () {
      if (panel) {
        panel.hidden = !panel.hidden;
        return;
      }
      panel = document.createElement("div");
      panel.className = "say-box say-panel";
      panel.setAttribute("data-say", "");
      panel.setAttribute("data-say-url", sayButton.getAttribute("data-say-item"));
      var status = document.createElement("p");
      status.className = "say-status muted";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      status.setAttribute("data-say-status", "");
      var result = document.createElement("div");
      result.className = "say-result";
      result.setAttribute("data-say-result", "");
      panel.appendChild(status);
      panel.appendChild(result);
      var row = sayButton.closest("tr");
      if (row) {
        var line = document.createElement("tr");
        line.className = "say-row";
        var cell = document.createElement("td");
        cell.colSpan = row.children.length;
        cell.appendChild(panel);
        line.appendChild(cell);
        row.parentNode.insertBefore(line, row.nextSibling);
      } else {
        (sayButton.closest("li") || sayButton.parentNode).appendChild(panel);
      }
      var recorder = setup(panel, null);
      if (recorder) recorder.start();
    });
  });
})();
