// Directory CSV import: keeps the progress bar up to date by polling the import's JSON status, and opens
// the report when the import ends. Without JavaScript the page has a refresh link instead.
const POLL_MILLISECONDS = 1000;
const ANNOUNCE_EVERY_PERCENT = 10;

const root = document.querySelector("[data-import-status]");

if (root) {
  const url = root.getAttribute("data-import-status");
  const bar = root.querySelector("progress");
  const text = root.querySelector("[data-import-progress-text]");
  let announced = { percent: -ANNOUNCE_EVERY_PERCENT, step: null };

  const show = (status) => {
    if (status.rows_total > 0) {
      bar.max = status.rows_total;
      bar.value = status.rows_done;
    } else {
      bar.removeAttribute("value");
    }
    bar.textContent = `${status.percent}%`;
    // The text is a live region: say it again only when the step changes or every 10%, not every second.
    if (status.step !== announced.step || status.percent - announced.percent >= ANNOUNCE_EVERY_PERCENT || status.percent === 100) {
      if (text.textContent !== status.text) {
        text.textContent = status.text;
      }
      announced = { percent: status.percent, step: status.step };
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        const status = await response.json();
        if (status.finished) {
          window.location.assign(status.url);
          return;
        }
        show(status);
      }
    } catch (error) {
      // A dropped connection: try again at the next tick; the refresh link still works.
    }
    window.setTimeout(poll, POLL_MILLISECONDS);
  };

  window.setTimeout(poll, POLL_MILLISECONDS);
}
