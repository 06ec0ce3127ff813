// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-nav-toggle]");
  const nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  // A click outside the open "Manage" menu closes it, as menus do.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("[data-nav-group][open]").forEach((group) => {
      if (!group.contains(event.target)) group.removeAttribute("open");
    });
  });
  // A read-only address is selected whole on focus; its copy button appears only where it works.
  document.querySelectorAll("[data-select-all]").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach((button) => {
      const input = document.getElementById(button.dataset.copy);
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", () => {
        navigator.clipboard.writeText(input.value).then(() => {
          button.textContent = button.dataset.copied;
        });
      });
    });
  }
  // Disable a submit button once its form is sent, so a double click sends one request.
  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", () => {
      const button = form.querySelector("[data-once]");
      if (button) setTimeout(() => { button.disabled = true; }, 0);
    });
  });
});
