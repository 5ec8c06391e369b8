// The organisation chooser (templates/components/organisation_chooser.html): turns the organisation's name
// box into GOV.UK's accessible-autocomplete, with suggestions from the directory as the person types.
// Picking one fills in the hidden organisation_id; the server still checks the name (app/directory/names.py),
// so a name typed without picking, or changed afterwards, is matched there, as it is without JavaScript.
import { keepDescription } from "../js/autocomplete.js";

const DELAY_MS = 150;

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

function suggestionsFrom(url) {
  let timer = null;
  let latest = 0;
  return (query, populateResults) => {
    clearTimeout(timer);
    const ticket = ++latest;
    timer = setTimeout(async () => {
      let listings = [];
      try {
        const address = new URL(url, window.location.href);
        address.searchParams.set("q", query);
        const response = await fetch(address, {
          headers: { Accept: "application/json" },
        });
        if (response.ok) listings = await response.json();
      } catch {
        listings = []; // offline or limited: the person can still type the name and send the form
      }
      if (ticket === latest) populateResults(listings);
    }, DELAY_MS);
  };
}

for (const chooser of document.querySelectorAll("[data-organisation-chooser]")) {
  const input = chooser.querySelector("input.govuk-input");
  const hidden = chooser.querySelector("input[type=hidden][name$='organisation_id']");
  if (!input || !hidden || !window.accessibleAutocomplete) continue;
  const box = document.createElement("div");
  input.insertAdjacentElement("afterend", box);
  const classes = input.classList.contains("govuk-input--error") ? "govuk-input--error" : null;
  const describedBy = input.getAttribute("aria-describedby");
  const { id, name, value } = input;
  input.remove();
  window.accessibleAutocomplete({
    element: box,
    id,
    name,
    defaultValue: value,
    source: suggestionsFrom(chooser.dataset.organisationChooser),
    minLength: 2,
    confirmOnBlur: false, // never replace what the person typed with a suggestion they did not pick
    showNoOptionsFound: true,
    inputClasses: classes,
    tNoResults: () => "No organisation in the directory has that name: you can still send the form",
    templates: {
      inputValue: (listing) => (listing ? listing.name : ""),
      suggestion: (listing) =>
        listing ? escapeHtml(typeof listing === "string" ? listing : listing.label || listing.name) : "",
    },
    onConfirm: (listing) => {
      if (listing) hidden.value = String(listing.id);
    },
  });
  keepDescription(id, describedBy);
}
