// Polls a history import's progress while it applies in the background:
// <section data-import-progress="JSON-URL" data-next="PAGE-URL" data-text-STAGE="…{done}…{total}…">.
// When the import is no longer applying, the page is loaded again to show the result.
// Without this file the page refreshes itself (<noscript> meta refresh) and has a Refresh link.
document.addEventListener("DOMContentLoaded", () => {
  const card = document.querySelector("[data-import-progress]");
  if (!card) return;
  const bar = card.querySelector("progress");
  const text = card.querySelector("[data-progress-text]");
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const poll = async () => {
    let state;
    try {
      const response = await fetch(card.dataset.importProgress, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      state = await response.json();
    } catch {
      window.setTimeout(poll, 5000); // a passing failure: try again a little later
      return;
    }
    if (state.status !== "applying") {
      window.location.assign(card.dataset.next);
      return;
    }
    const template = card.dataset["text" + state.stage.charAt(0).toUpperCase() + state.stage.slice(1)];
    if (template) {
      text.textContent = template
        .replace("{done}", number.format(state.done))
        .replace("{total}", number.format(state.total));
    }
    bar.max = Math.max(state.total, 1);
    if (state.done > 0) bar.value = state.done;
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
});
