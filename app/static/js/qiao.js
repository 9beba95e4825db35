/* Qiao: the helpers the page scripts share, loaded by base.html before them (all deferred, so
   in document order). Plain functions on window.Qiao; nothing runs here by itself. */
window.Qiao = (function () {
  "use strict";

  // The CSRF token: the one in `scope` (a form), else the page's first.
  function csrfToken(scope) {
    var input = (scope && scope.querySelector('input[name="csrf_token"]')) ||
      document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  // POST `body` as JSON with the CSRF token of `scope`; resolves to the JSON answer, rejects
  // on an HTTP error (the callers fall back to the plain form or say so).
  function postJSON(url, body, scope) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(scope), "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  // POST a form's fields (FormData) to `url`, asking for JSON; resolves to the response.
  function postForm(url, form) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) },
      body: new FormData(form)
    });
  }

  return { csrfToken: csrfToken, each: each, uuid: uuid, postJSON: postJSON, postForm: postForm };
})();
