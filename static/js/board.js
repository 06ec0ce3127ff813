// Pojopörssi: keeps the board's prices, changes, sparklines and Redeem buttons current
// without a reload, and asks for a second tap before spending points.
// The page works without this file: the server renders the same figures.
(() => {
  "use strict";
  const REFRESH_MS = 30000;

  function setText(element, text) {
    if (element && element.textContent !== text) element.textContent = text;
  }

  function swapClass(element, prefix, value) {
    if (!element) return;
    [...element.classList].filter((name) => name.startsWith(prefix)).forEach((name) => element.classList.remove(name));
    element.classList.add(prefix + value);
  }

  function flash(element) {
    element.classList.remove("ticked");
    void element.offsetWidth; // restart the animation
    element.classList.add("ticked");
  }

  function updateChange(row, period, change) {
    const badge = row.querySelector(`[data-change="${period}"]`);
    if (!badge) return;
    swapClass(badge, "change-", change.direction);
    setText(badge.querySelector(".change-text"), change.text);
    setText(badge.querySelector(".change-label"), change.label);
  }

  function resetConfirm(button) {
    if (button.dataset.armed) {
      delete button.dataset.armed;
      button.classList.remove("confirming");
    }
  }

  function updateAction(row, reward) {
    const button = row.querySelector('[data-field="action"]');
    const maxPrice = row.querySelector('[data-field="max_price"]');
    if (!button || !maxPrice) return;
    const priceChanged = maxPrice.value !== String(reward.price);
    // The hidden max_price is the price on the button: what you see is the most you pay.
    maxPrice.value = String(reward.price);
    if (priceChanged) resetConfirm(button);
    if (!button.dataset.armed) setText(button, reward.action.text);
    const canRedeem = reward.action.state === "redeem";
    button.disabled = !canRedeem;
    button.classList.toggle("primary", canRedeem);
  }

  function updateRow(row, reward) {
    const price = row.querySelector('[data-field="price"]');
    if (price && price.textContent !== reward.price_text) {
      setText(price, reward.price_text);
      flash(price);
    }
    updateChange(row, "24h", reward.change_24h);
    updateChange(row, "7d", reward.change_7d);
    const spark = row.querySelector(".spark");
    if (spark) {
      swapClass(spark, "spark-", reward.trend);
      const line = spark.querySelector("polyline");
      if (line && line.getAttribute("points") !== reward.sparkline_points) {
        line.setAttribute("points", reward.sparkline_points);
      }
    }
    const stock = row.querySelector('[data-field="stock"]');
    setText(stock, reward.stock_text);
    if (stock) stock.classList.toggle("sold-out", reward.stock_left === 0);
    updateAction(row, reward);
  }

  function update(board, data) {
    const rows = new Map([...board.querySelectorAll("[data-reward]")].map((row) => [row.dataset.reward, row]));
    const category = board.dataset.category;
    let unseen = false;
    data.rewards.forEach((reward) => {
      const row = rows.get(String(reward.id));
      if (row) updateRow(row, reward);
      else if (!category || category === reward.category) unseen = true;
    });
    const listed = new Set(data.rewards.map((reward) => String(reward.id)));
    rows.forEach((row, id) => {
      // Withdrawn or gone: it can no longer be redeemed from here.
      if (!listed.has(id)) row.querySelectorAll("button").forEach((button) => { button.disabled = true; });
    });
    document.querySelectorAll("[data-balance]").forEach((element) => setText(element, data.balance_text));
    document.querySelectorAll("[data-unread]").forEach((element) => {
      setText(element, String(data.unread));
      element.hidden = data.unread === 0;
    });
    document.querySelectorAll("[data-unread-label]").forEach((element) => { element.hidden = data.unread === 0; });
    const note = document.querySelector("[data-updated]");
    if (note) {
      const time = new Date(data.at).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      let text = board.dataset.tUpdated.replace("{time}", time);
      if (unseen) text += " " + board.dataset.tChanged;
      setText(note, text);
    }
  }

  function startPolling(board) {
    let timer = null;
    let stopped = false;
    async function refresh() {
      try {
        const response = await fetch(board.dataset.source, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          cache: "no-store",
        });
        const type = response.headers.get("Content-Type") || "";
        // Logged out (sent to the login page) or a server error: keep the figures shown.
        if (response.redirected || !response.ok || !type.includes("json")) {
          if (response.redirected || response.status === 401 || response.status === 403) stopped = true;
          return;
        }
        update(board, await response.json());
      } catch (error) {
        // Offline for a moment; the next round tries again.
      }
    }
    function schedule() {
      clearTimeout(timer);
      if (!stopped && !document.hidden) timer = setTimeout(() => refresh().then(schedule), REFRESH_MS);
    }
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && !stopped) refresh().then(schedule);
      else clearTimeout(timer);
    });
    schedule();
  }

  // Spending points takes two taps: the first shows the price it will pay.
  function armConfirm(root) {
    root.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-confirm]");
      if (!button || button.disabled) return;
      if (button.dataset.armed) return; // second tap: let the form submit
      event.preventDefault();
      const form = button.form;
      const price = form.querySelector('[data-field="max_price"]').value;
      const formatted = Number(price).toLocaleString(document.documentElement.lang || undefined);
      button.dataset.armed = "1";
      button.dataset.label = button.textContent;
      button.classList.add("confirming");
      button.textContent = button.dataset.confirm.replace("{price}", formatted);
      setTimeout(() => {
        if (button.dataset.armed) {
          resetConfirm(button);
          button.textContent = button.dataset.label;
        }
      }, 5000);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    armConfirm(document);
    const board = document.querySelector("[data-board]");
    if (board && window.fetch) startPolling(board);
  });

  // Coming back with the Back button shows a stale copy with a used form: load it fresh.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && document.querySelector("[data-board]")) window.location.reload();
  });
})();
