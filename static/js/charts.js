// The reward page's charts, drawn with the vendored Chart.js from canvases' data-* attributes.
// The same figures are on the page as text, so nothing is lost without JavaScript.
(() => {
  "use strict";

  function cssColor(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // Dates as each language writes them: Finnish 24.12., English 24 Dec (day first, not US order).
  const DATE_STYLES = {
    fi: { locale: "fi-FI", month: "numeric" },
    en: { locale: "en-GB", month: "short" },
  };
  const DAY_MS = 24 * 60 * 60 * 1000;

  function dateStyle() {
    const language = (document.documentElement.lang || "en").split("-")[0];
    return DATE_STYLES[language] || { locale: document.documentElement.lang || undefined, month: "short" };
  }

  function priceChart(canvas) {
    // [[milliseconds since the epoch, price], ...], oldest first, ending with the price now;
    // a jump is two points at one moment.
    const points = JSON.parse(canvas.dataset.points);
    const style = dateStyle();
    const zone = canvas.dataset.zone || undefined;
    const span = points[points.length - 1][0] - points[0][0];
    // A history shorter than two days is labelled by the hour, a longer one by the day.
    const tickFormat = new Intl.DateTimeFormat(style.locale, span < 2 * DAY_MS
      ? { hour: "numeric", minute: "2-digit", timeZone: zone }
      : { day: "numeric", month: style.month, timeZone: zone });
    const fullFormat = new Intl.DateTimeFormat(style.locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone });
    const numbers = new Intl.NumberFormat(style.locale, { maximumFractionDigits: 0 });
    const unit = canvas.dataset.unit || "{points}";
    const brand = cssColor("--brand", "#1f5eff");
    const narrow = canvas.parentElement.clientWidth < 480;
    return new window.Chart(canvas, {
      type: "line",
      data: {
        datasets: [{
          label: canvas.dataset.label,
          data: points.map(([at, price]) => ({ x: at, y: price })),
          borderColor: brand,
          backgroundColor: cssColor("--brand-soft", "#e8efff"),
          fill: true,
          // Straight segments: between redemptions the price eases down, and a jump is
          // two points at one moment (before, after), so it is drawn upright where it was.
          tension: 0,
          pointRadius: 0,
          pointHoverRadius: 4,
          pointHitRadius: 8,
          borderWidth: narrow ? 1.5 : 2,
        }],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        parsing: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => fullFormat.format(items[0].parsed.x),
              label: (item) => unit.replace("{points}", numbers.format(item.parsed.y)),
            },
          },
        },
        scales: {
          x: {
            type: "time",
            bounds: "data",
            time: { minUnit: "hour" },
            ticks: {
              maxTicksLimit: narrow ? 4 : 8,
              maxRotation: 0,
              callback: (value) => tickFormat.format(value),
            },
            grid: { display: false },
          },
          y: { ticks: { precision: 0, callback: (value) => numbers.format(value) }, grace: "10%" },
        },
      },
    });
  }

  function demandChart(canvas) {
    const counts = JSON.parse(canvas.dataset.points);
    const days = JSON.parse(canvas.dataset.days).map((day) => new Date(`${day}T12:00:00`));
    const style = dateStyle();
    const narrow = canvas.parentElement.clientWidth < 480;
    const dayFormat = new Intl.DateTimeFormat(style.locale, { day: "numeric", month: style.month });
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: days.map((day) => dayFormat.format(day)),
        datasets: [{
          label: canvas.dataset.label,
          data: counts,
          backgroundColor: cssColor("--warn", "#b86e00"),
          borderRadius: 3,
        }],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { maxTicksLimit: narrow ? 4 : 6, maxRotation: 0 }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  const CHARTS = { price: priceChart, demand: demandChart };

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const draw = CHARTS[canvas.dataset.chart];
      if (draw) draw(canvas);
    });
  });
})();
