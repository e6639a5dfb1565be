// Swagger UI on this server's own OpenAPI document (same origin: "Try it out" calls /v1 here, with the key you
// give under "Authorize"; Swagger UI keeps it in the page only).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    tryItOutEnabled: false
  });
});
