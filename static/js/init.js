// Starts GOV.UK Frontend's components (loaded as a module so it needs no inline script).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();

// A wide table's scrolling box must be reachable by keyboard and named, so people who cannot use a mouse
// can scroll it too. Boxes that templates already label are left alone.
for (const box of document.querySelectorAll(".portal-table-scroll:not([role])")) {
  if (box.scrollWidth <= box.clientWidth) continue;
  const caption = box.querySelector("caption");
  box.setAttribute("role", "region");
  box.setAttribute("tabindex", "0");
  box.setAttribute("aria-label", caption ? caption.textContent.trim().replace(/\s+/g, " ") : "Table");
}
