// The plan editor's small helpers; the editor works without them (plain form posts).
// - shows only the target inputs of the chosen target kind;
// - "Cancel" on a new row's form removes the form instead of leaving the page;
// - drops the "nothing yet" line once a row is added;
// - tells the user when the server refused a change (htmx does not swap error responses).
(function () {
  "use strict";

  var PARTS = {
    number: ["target_value"],
    percent: ["target_value"],
    range: ["target_min", "target_max"],
    qualitative: ["target_text"],
  };

  function syncTarget(select) {
    var form = select.closest("form");
    if (!form) return;
    var shown = PARTS[select.value] || ["target_value"];
    form.querySelectorAll("[data-target-part]").forEach(function (part) {
      // Wrapping columns carry the attribute as well as their input: hide the column.
      if (part.matches("input, select, textarea")) return;
      part.classList.toggle("d-none", shown.indexOf(part.getAttribute("data-target-part")) < 0);
    });
  }

  function init(root) {
    root.querySelectorAll("select[data-target-kind]").forEach(syncTarget);
    if (root.matches && root.matches("select[data-target-kind]")) syncTarget(root);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-target-kind]")) syncTarget(event.target);
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-editor-cancel]");
    if (!cancel) return;
    var row = cancel.closest(".editor-row.new-row");
    if (!row) return;
    event.preventDefault();
    row.remove();
  });

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });

  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.querySelectorAll) return;
    init(elt);
    if (elt.classList && elt.classList.contains("editor-row") && elt.parentElement) {
      elt.parentElement.querySelectorAll(":scope > .empty-row").forEach(function (empty) {
        empty.remove();
      });
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var elt = event.detail && event.detail.elt;
    var xhr = event.detail && event.detail.xhr;
    if (!elt || !xhr) return;
    var host = elt.closest(".editor-row") || elt.closest("section") || document.body;
    // The form was not swapped: the field errors shown belong to the previous attempt, and
    // a previous refusal's alert is stale too. Clear them so only this answer shows.
    host.querySelectorAll(".invalid-feedback, [data-editor-error]").forEach(function (old) {
      old.remove();
    });
    host.querySelectorAll(".is-invalid").forEach(function (field) {
      field.classList.remove("is-invalid");
    });
    var alert = document.createElement("div");
    alert.className = "alert alert-danger py-1 px-2 small my-1";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-editor-error", "");
    // Messages come translated from the page (data-* of #editor-messages).
    var words = (document.getElementById("editor-messages") || { dataset: {} }).dataset;
    var text = xhr.status === 403
      ? words.refused || "The server refused the change (not allowed, or the plan is locked). Reload the page."
      : xhr.status === 404
        ? words.gone || "This item no longer exists. Reload the page."
        : (words.failed || "The change was not saved. Your input is kept; try again.") + " (" + xhr.status + ")";
    alert.textContent = text;
    var target = host.querySelector("td") || host;
    target.prepend(alert);
  });
})();
