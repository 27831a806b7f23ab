// Confirmation before irreversible actions: <form data-confirm="…">. No inline scripts (CSP).
document.addEventListener("submit", function (event) {
  const form = event.target;
  const message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
