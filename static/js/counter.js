// Counts the characters of a field against its limit while the user types:
// <p data-counter-for="FIELD-ID" data-max="500" data-count="{count} / {max}" data-over="…{over}…">.
// Without this file the page still states the limit, and the server refuses a longer text.
document.addEventListener("DOMContentLoaded", () => {
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  document.querySelectorAll("[data-counter-for]").forEach((counter) => {
    const field = document.getElementById(counter.dataset.counterFor);
    const max = Number(counter.dataset.max);
    if (!field || !max) return;
    const update = () => {
      const count = [...field.value].length; // code points, as the server counts them
      const over = count - max;
      const template = over > 0 ? counter.dataset.over : counter.dataset.count;
      counter.textContent = template
        .replace("{count}", number.format(count))
        .replace("{max}", number.format(max))
        .replace("{over}", number.format(over));
      counter.classList.toggle("over", over > 0);
    };
    field.addEventListener("input", update);
    update();
  });
});
