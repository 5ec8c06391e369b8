// The directory's results page: filters fold away on phones and stand open on desktops; on phones a
// List / Map switch shows one at a time (without JavaScript both show, the list first).
const desktop = window.matchMedia("(min-width: 48.0625em)");

const filters = document.querySelector("[data-portal-filters]");
if (filters && desktop.matches) filters.open = true;

const switcher = document.querySelector("[data-portal-view-switch]");
const results = document.querySelector(".portal-results--with-map");

function resizeMaps() {
  for (const map of Object.values(window.portalMaps || {})) map.invalidateSize();
}

function show(view) {
  results.dataset.view = view;
  for (const button of switcher.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === view));
  }
  if (view === "map") resizeMaps();
}

function layout() {
  // The switch only exists on narrow screens; a desktop shows list and map side by side.
  switcher.hidden = desktop.matches;
  results.classList.toggle("portal-results--switching", !desktop.matches);
  if (desktop.matches) resizeMaps();
}

if (switcher && results) {
  for (const button of switcher.querySelectorAll("button")) {
    button.addEventListener("click", () => show(button.dataset.view));
  }
  show("list");
  layout();
  desktop.addEventListener("change", layout);
}
