// The reward page's charts, drawn with the vendored Chart.js from canvases' data-* attributes.
// The same figures are on the page as text, so nothing is lost without JavaScript.
(() => {
  "use strict";

  function cssColor(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function language() {
    return document.documentElement.lang || undefined;
  }

  function priceChart(canvas) {
    const points = JSON.parse(canvas.dataset.points);
    const dates = points.map((point) => new Date(point.at));
    const brand = cssColor("--brand", "#1f5eff");
    const dayFormat = new Intl.DateTimeFormat(language(), { day: "numeric", month: "numeric" });
    const fullFormat = new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" });
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: dates.map((date) => dayFormat.format(date)),
        datasets: [{
          label: canvas.dataset.label,
          data: points.map((point) => point.price),
          borderColor: brand,
          backgroundColor: cssColor("--brand-soft", "#e8efff"),
          fill: true,
          stepped: "before",
          pointRadius: 0,
          pointHitRadius: 8,
          borderWidth: 2,
        }],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => fullFormat.format(dates[items[0].dataIndex]) } },
        },
        scales: {
          x: { ticks: { maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
          y: { ticks: { precision: 0 }, grace: "10%" },
        },
      },
    });
  }

  function demandChart(canvas) {
    const counts = JSON.parse(canvas.dataset.points);
    const days = JSON.parse(canvas.dataset.days).map((day) => new Date(`${day}T12:00:00`));
    const dayFormat = new Intl.DateTimeFormat(language(), { day: "numeric", month: "numeric" });
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
          x: { ticks: { maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
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
