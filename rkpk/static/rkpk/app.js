// Confirmation before irreversible actions: <form data-confirm="…">. No inline scripts (CSP).
document.addEventListener("submit", function (event) {
  const form = event.target;
  const message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A table wider than its scrolling container must be reachable by keyboard (WCAG 2.1.1):
// the container becomes a focusable, named region while, and only while, it scrolls.
// Named after the table's caption, else the section's heading.
function markScrollRegions() {
  document.querySelectorAll(".table-responsive, [data-scroll-region]").forEach(function (box) {
    const scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
    if (scrolls && !box.dataset.scrollMarked && !box.hasAttribute("tabindex")) {
      const added = ["tabindex"];
      box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) {
        box.setAttribute("role", "region");
        added.push("role");
      }
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        const caption = box.querySelector("caption");
        const section = box.closest("section, .card, main");
        const heading = section && section.querySelector("h1, h2, h3, h4, h5, h6");
        const name = (caption || heading || document.querySelector("h1") || {}).textContent;
        box.setAttribute("aria-label", (name || document.title).trim().replace(/\s+/g, " "));
        added.push("aria-label");
      }
      box.dataset.scrollMarked = added.join(" ");
    } else if (!scrolls && box.dataset.scrollMarked) {
      box.dataset.scrollMarked.split(" ").forEach(function (a) { box.removeAttribute(a); });
      delete box.dataset.scrollMarked;
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollRegions);
window.addEventListener("load", markScrollRegions);
window.addEventListener("resize", markScrollRegions);
document.addEventListener("htmx:afterSettle", markScrollRegions);
