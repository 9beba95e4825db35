// The API documentation page: Swagger UI (served from static/vendor, no CDN) renders the
// description. Read-only: "Try it out" is off, since a call would act as the reader.
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  if (!box || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: box.dataset.url,
    domNode: box,
    deepLinking: false,
    supportedSubmitMethods: [],
    defaultModelsExpandDepth: -1,
    validatorUrl: null,
    syntaxHighlight: false,
    withCredentials: true
  });
})();
