// Swagger UI for the merged public API description.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  window.SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    withCredentials: true
  });
});
