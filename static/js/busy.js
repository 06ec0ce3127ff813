// A long form (an import's upload, preview or apply) shows it is working while the server
// reads the file: <form data-busy="Reading the file…"> puts that text and a moving bar under
// its submit button once sent. A history import too big for one request has its own
// progress page (import_progress.js). Without this file the form still submits as usual.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    form.addEventListener("submit", () => {
      if (form.querySelector(".busy-note")) return;
      const note = document.createElement("p");
      note.className = "busy-note muted";
      note.setAttribute("role", "status");
      const bar = document.createElement("progress"); // no value: an indeterminate bar
      bar.setAttribute("aria-label", form.dataset.busy);
      note.append(bar, " ", form.dataset.busy);
      const button = form.querySelector('[type="submit"]');
      (button ? button.parentNode : form).append(note);
      form.setAttribute("aria-busy", "true");
    });
  });
});
