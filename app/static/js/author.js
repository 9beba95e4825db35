/* Qiao course editor: live pinyin with polyphone choice, Markdown and exercise previews, and
   the audio progress of a lesson. Every page works without this script; it only adds the
   live parts. Requests carry the CSRF token in X-CSRFToken (JSON) or in the form data. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  var postJSON = Qiao.postJSON;

  /* --- live pinyin ------------------------------------------------------------------------ */

  function setupItem(editor) {
    var hanzi = editor.querySelector("[data-hanzi]");
    var pinyin = editor.querySelector("[data-pinyin]");
    var lock = editor.querySelector("[data-lock]");
    var polyBox = editor.querySelector("[data-polyphones]");
    var hsk = editor.querySelector("[data-hsk]");
    var palladius = editor.querySelector("[data-palladius]");
    var url = editor.getAttribute("data-pinyin-url");
    var sentence = editor.getAttribute("data-sentence") === "true";
    var choices = {};
    var lastText = null;
    if (!hanzi || !pinyin || !url) { return; }

    function show(info, fromChoice) {
      if (fromChoice || !lock.checked) {
        pinyin.value = info.pinyin;
      }
      if (fromChoice) { lock.checked = true; }
      hsk.textContent = info.hsk || "—";
      palladius.textContent = info.palladius || "—";
      polyBox.textContent = "";
      if (!info.polyphones.length) { polyBox.hidden = true; return; }
      polyBox.hidden = false;
      var title = document.createElement("span");
      title.className = "poly-title";
      title.textContent = polyBox.getAttribute("data-label") || "多音字:";
      polyBox.appendChild(title);
      info.polyphones.forEach(function (p) {
        var label = document.createElement("label");
        label.className = "polyphone" + (p.review ? " needs-review" : "");
        var ch = document.createElement("span");
        ch.className = "han";
        ch.lang = "zh-Hans";
        ch.textContent = p.char;
        var select = document.createElement("select");
        select.setAttribute("data-index", p.index);
        p.options.forEach(function (o) {
          var opt = document.createElement("option");
          opt.value = o.value;
          opt.textContent = o.label;
          if (o.value === p.chosen) { opt.selected = true; }
          select.appendChild(opt);
        });
        select.addEventListener("change", function () {
          choices[p.index] = select.value;
          request(true);
        });
        label.appendChild(ch);
        label.appendChild(select);
        if (p.why) {
          var why = document.createElement("span");
          why.className = "poly-why";
          why.textContent = p.why;
          label.appendChild(why);
        }
        polyBox.appendChild(label);
      });
    }

    function request(fromChoice) {
      var text = hanzi.value.trim();
      if (!fromChoice && text === lastText) { return; }
      if (text !== lastText && lastText !== null) { choices = {}; }
      lastText = text;
      postJSON(url, { hanzi: text, sentence: sentence, choices: choices }, editor.closest("form"))
        .then(function (info) { show(info, fromChoice); })
        .catch(function () { /* the server generates the pinyin on save anyway */ });
    }

    hanzi.addEventListener("input", debounce(function () { request(false); }, 300));
    pinyin.addEventListener("input", function () { lock.checked = pinyin.value.trim() !== ""; });
    if (hanzi.value.trim()) { request(false); }
  }

  /* --- Markdown preview ------------------------------------------------------------------- */

  function setupMarkdown(area) {
    var target = document.getElementById(area.getAttribute("data-md-preview"));
    var url = area.getAttribute("data-md-url");
    if (!target || !url) { return; }
    var update = debounce(function () {
      postJSON(url, { text: area.value }, area.form).then(function (data) {
        target.innerHTML = data.html; /* sanitised by the server (markdown-it + nh3) */
        target.hidden = !area.value.trim();
      }).catch(function () {});
    }, 400);
    area.addEventListener("input", update);
    if (area.value.trim()) { update(); }
  }

  /* --- exercise preview ------------------------------------------------------------------- */

  function setupExercise(form) {
    var url = form.getAttribute("data-preview-url");
    var box = document.querySelector("[data-preview]");
    var errors = document.querySelector("[data-preview-errors]");
    var update = debounce(function () {
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": Qiao.csrfToken(form) },
        body: new FormData(form)
      }).then(function (r) { return r.json(); }).then(function (data) {
        errors.textContent = "";
        if (data.ok) {
          box.innerHTML = data.html; /* rendered by the server's templates, escaped */
        } else {
          var list = document.createElement("ul");
          list.className = "issue-list";
          data.errors.forEach(function (e) {
            var li = document.createElement("li");
            li.textContent = e;
            list.appendChild(li);
          });
          errors.appendChild(list);
        }
      }).catch(function () {});
    }, 400);
    form.addEventListener("input", update);
  }

  /* --- audio progress --------------------------------------------------------------------- */

  function setupAudio(section) {
    var holder = document.querySelector("[data-texts]");
    var progress = section.querySelector("[data-audio-progress]");
    var url = section.getAttribute("data-audio-url");
    if (!holder || !url) { return; }
    var texts = JSON.parse(holder.getAttribute("data-texts") || "[]");
    var cells = section.querySelectorAll("[data-audio-for]");
    var missing = Array.prototype.filter.call(cells, function (c) {
      return c.querySelector(".is-missing");
    });
    if (!missing.length || !texts.length) { return; }
    var rounds = 0;
    function poll() {
      rounds += 1;
      var query = texts.map(function (t) { return "t=" + encodeURIComponent(t); }).join("&");
      fetch(url + "?" + query, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (data) {
          var ready = 0;
          texts.forEach(function (t) { if (data[t] && data[t].normal) { ready += 1; } });
          progress.hidden = false;
          progress.textContent = (progress.getAttribute("data-label") || "Audio") + ": " + ready + " / " + texts.length;
          Array.prototype.forEach.call(cells, function (cell) {
            var clip = data[cell.getAttribute("data-audio-for")];
            if (clip && clip.normal && cell.querySelector(".is-missing")) {
              var wrap = document.createElement("span");
              wrap.className = "audio";
              wrap.setAttribute("data-audio", "");
              var a = document.createElement("a");
              a.className = "audio-btn audio-normal";
              a.href = clip.normal;
              a.setAttribute("data-audio-src", clip.normal);
              a.textContent = "▶";
              a.setAttribute("aria-label", "▶ " + cell.getAttribute("data-audio-for"));
              var status = document.createElement("span");
              status.className = "audio-status";
              status.setAttribute("role", "status");
              wrap.appendChild(a);
              wrap.appendChild(status);
              cell.textContent = "";
              cell.appendChild(wrap);
            }
          });
          if (ready < texts.length && rounds < 40) { setTimeout(poll, 2000); }
        }).catch(function () {});
    }
    setTimeout(poll, 1000);
  }

  /* --- image upload: the Markdown line to paste, shown in place ---------------------------- */

  function setupUpload(form) {
    var result = form.querySelector("[data-upload-result]");
    var snippet = form.querySelector("[data-upload-snippet]");
    var errorBox = document.createElement("p");
    errorBox.className = "error";
    errorBox.setAttribute("role", "alert");
    errorBox.hidden = true;
    form.appendChild(errorBox);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      Qiao.postForm(form.action, form).then(function (r) { return r.json(); }).then(function (data) {
        errorBox.hidden = data.ok;
        result.hidden = !data.ok;
        if (data.ok) {
          snippet.value = data.markdown;
          snippet.focus();
          snippet.select();
        } else {
          errorBox.textContent = data.error;
        }
      }).catch(function () { form.submit(); });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-upload]"), setupUpload);
    Array.prototype.forEach.call(document.querySelectorAll(".item-editor"), setupItem);
    Array.prototype.forEach.call(document.querySelectorAll("[data-md-preview]"), setupMarkdown);
    Array.prototype.forEach.call(document.querySelectorAll(".exercise-editor"), setupExercise);
    var items = document.getElementById("items");
    if (items) { setupAudio(items); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
