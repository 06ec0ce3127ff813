// Shows that an export is being prepared: <a href="…" data-download="Preparing the file…"
// data-download-ready="Your download has started."> turns busy on click, and back once the
// server's first bytes set the cookie pojo_download to this click's token (pojo/web.py).
// Without this file the link is an ordinary download link.
document.addEventListener("DOMContentLoaded", () => {
  const cookieHas = (token) =>
    document.cookie.split("; ").some((pair) => pair === "pojo_download=" + token);
  const forget = () => {
    document.cookie = "pojo_download=; Max-Age=0; path=/; SameSite=Strict";
  };
  document.querySelectorAll("a[data-download]").forEach((link) => {
    const label = link.textContent;
    const status = document.createElement("span");
    status.className = "download-status muted";
    status.setAttribute("role", "status");
    link.after(status);
    link.addEventListener("click", (event) => {
      if (link.getAttribute("aria-busy") === "true") {
        event.preventDefault(); // one export at a time from one button
        return;
      }
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      const token = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
        b.toString(16).padStart(2, "0")).join("");
      const address = new URL(link.href, window.location.href);
      address.searchParams.set("pojo_download", token);
      link.href = address.toString();
      link.setAttribute("aria-busy", "true");
      link.classList.add("is-busy");
      link.textContent = link.dataset.download;
      status.textContent = "";
      const started = Date.now();
      const done = (text) => {
        link.removeAttribute("aria-busy");
        link.classList.remove("is-busy");
        link.textContent = label;
        status.textContent = text;
        forget();
      };
      const watch = () => {
        if (cookieHas(token)) done(link.dataset.downloadReady || "");
        else if (Date.now() - started > 120000) done("");
        else window.setTimeout(watch, 300);
      };
      window.setTimeout(watch, 300);
    });
  });
});
