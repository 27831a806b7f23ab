// The ministry RK-PK page: the section editor saves in place with htmx (plain form posts
// work without this file). The server answers a refused save with the section again —
// 409 (someone saved meanwhile: both texts), 422 (not valid), 403 (not allowed) — and
// htmx, which by default ignores error responses, swaps those in too.
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail || {};
    var source = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    var xhr = detail.xhr;
    if (!source || !xhr || !source.closest || !source.closest("[data-ministry-section]")) return;
    if ([400, 403, 409, 422].indexOf(xhr.status) >= 0 && xhr.responseText) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a swap, move the focus to the section's message (saved, conflict, error).
  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.classList || !elt.classList.contains("ministry-section")) return;
    var message = elt.querySelector("[role=alert], [role=status]");
    if (message) {
      message.setAttribute("tabindex", "-1");
      message.focus();
    }
  });
})();
