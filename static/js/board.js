// Pojopörssi: keeps the board's prices, changes, sparklines, Redeem buttons and the feed of
// the latest redemptions current without a reload, and asks for a second tap before spending points.
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

  // "5 minutes ago" for a recent moment; the local time the server wrote stays as its title.
  function relativeTimes(root) {
    if (!window.Intl || !Intl.RelativeTimeFormat) return;
    const format = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "auto" });
    root.querySelectorAll("time[data-relative]").forEach((element) => {
      const at = Date.parse(element.getAttribute("datetime"));
      if (Number.isNaN(at)) return;
      if (!element.dataset.local) element.dataset.local = element.textContent.trim();
      element.title = element.dataset.local;
      const seconds = Math.max(0, (Date.now() - at) / 1000);
      let text = element.dataset.local;
      if (seconds < 45) text = format.format(0, "second");
      else if (seconds < 3600) text = format.format(-Math.max(1, Math.round(seconds / 60)), "minute");
      else if (seconds < 86400) text = format.format(-Math.round(seconds / 3600), "hour");
      else if (seconds < 7 * 86400) text = format.format(-Math.round(seconds / 86400), "day");
      setText(element, text);
    });
  }

  function feedItem(template, entry) {
    const item = template.content.querySelector("li").cloneNode(true);
    item.dataset.redemption = String(entry.id);
    const name = item.querySelector('[data-field="name"]');
    name.href = entry.url;
    name.textContent = entry.name;
    const move = item.querySelector("[data-move]");
    swapClass(move, "change-", entry.move.direction);
    setText(move.querySelector(".change-text"), entry.move.text);
    setText(move.querySelector(".change-label"), entry.move.label);
    const time = item.querySelector("time");
    time.setAttribute("datetime", entry.at);
    time.dataset.local = entry.time_text;
    time.textContent = entry.time_text;
    return item;
  }

  // The latest redemptions, newest first: drawn again only when a redemption came or went.
  function updateFeed(entries) {
    const feed = document.querySelector("[data-feed]");
    if (!feed || !Array.isArray(entries)) return;
    const list = feed.querySelector("[data-feed-list]");
    const template = feed.querySelector("template[data-feed-item]");
    const shown = [...list.children].map((item) => item.dataset.redemption);
    if (shown.join(",") !== entries.map((entry) => String(entry.id)).join(",")) {
      const seen = new Set(shown);
      const items = entries.map((entry) => feedItem(template, entry));
      list.replaceChildren(...items);
      items.filter((item) => !seen.has(item.dataset.redemption)).forEach(flash);
    }
    feed.hidden = entries.length === 0;
    relativeTimes(feed);
  }

  function update(board, data) {
    const rows = new Map([...board.querySelectorAll("[data-reward]")].map((row) => [row.dataset.reward, row]));
    const category = board.dataset.category;
    const filtered = board.hasAttribute("data-filtered");
    let unseen = false;
    let reshuffled = false;
    data.rewards.forEach((reward) => {
      const row = rows.get(String(reward.id));
      if (row) updateRow(row, reward);
      else if (filtered) reshuffled = true;
      else if (!category || category === reward.category) unseen = true;
    });
    const listed = new Set(data.rewards.map((reward) => String(reward.id)));
    const onMarket = new Set((data.on_market || []).map(String));
    rows.forEach((row, id) => {
      if (listed.has(id)) return;
      // Still on the market, no longer what the filters pick (dearer now, or out of reach).
      if (filtered && onMarket.has(id)) reshuffled = true;
      // Withdrawn or gone: it can no longer be redeemed from here.
      else row.querySelectorAll("button").forEach((button) => { button.disabled = true; });
    });
    updateFeed(data.feed);
    document.querySelectorAll("[data-balance]").forEach((element) => setText(element, data.balance_text));
    document.querySelectorAll("[data-unread]").forEach((element) => {
      setText(element, String(data.unread));
      element.hidden = data.unread === 0;
    });
    document.querySelectorAll("[data-unread-label]").forEach((element) => { element.hidden = data.unread === 0; });
    const note = document.querySelector("[data-updated]");
    if (note) {
      const time = new Date(data.at).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
      let text = board.dataset.tUpdated.replace("{time}", time);
      if (unseen) text += " " + board.dataset.tChanged;
      if (reshuffled) text += " " + board.dataset.tReshuffled;
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
      // A form that spends points names its price; another (taking a swap) only confirms.
      const price = button.form.querySelector('[data-field="max_price"]');
      const formatted = price ? Number(price.value).toLocaleString(document.documentElement.lang || undefined) : "";
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
    relativeTimes(document);
    // A chosen chip past the edge of a phone's row: bring it into view.
    document.querySelectorAll(".chips").forEach((row) => {
      const current = row.querySelector("[aria-current]");
      const shift = current ? current.getBoundingClientRect().right - row.getBoundingClientRect().right : 0;
      if (shift > 0) row.scrollLeft += shift + 16;
    });
    const board = document.querySelector("[data-board]");
    if (board && window.fetch) startPolling(board);
  });

  // Coming back with the Back button shows a stale copy with a used form: load it fresh.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && document.querySelector("[data-board]")) window.location.reload();
  });
})();
