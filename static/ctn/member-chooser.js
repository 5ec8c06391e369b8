// "Who represents it" on a Steering Group seat (templates/ctn/manage/_seat_fields.html): the network's
// membership list runs to over a thousand people (000_0692e8566ba44968.txt:1505), too many to scroll through,
// so the select becomes GOV.UK's accessible-autocomplete, which narrows the same options as the officer types.
// The select stays in the form and is what is sent; without JavaScript it is used as it is.
import { keepDescription } from "../js/autocomplete.js";

for (const select of document.querySelectorAll("select[data-member-chooser]")) {
  if (!window.accessibleAutocomplete) break;
  const describedBy = select.getAttribute("aria-describedby");
  const id = select.id;
  const name = select.labels.length ? select.labels[0].textContent.trim() : "";
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    showAllValues: true,
    autoselect: false, // its typed-ahead hint is an input without a label (axe-core: WCAG 4.1.2)
    confirmOnBlur: false, // never pick for the officer: what they did not choose is left as it was
    tNoResults: () => "No confirmed member has that name",
  });
  // The select, hidden now, keeps its name: its label belongs to the new box.
  if (name) select.setAttribute("aria-label", name);
  keepDescription(id, describedBy);
}
