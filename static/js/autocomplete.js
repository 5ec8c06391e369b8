// Shared by the scripts that turn a form field into GOV.UK's accessible-autocomplete
// (static/directory/organisation-chooser.js, static/ctn/member-chooser.js).

// The box the autocomplete put in the field's place, `boxId`, keeps the field's hint and any error message
// (the ids in `describedBy`) read out with it, as they were with the field.
export function keepDescription(boxId, describedBy) {
  const box = document.getElementById(boxId);
  if (!box || !describedBy) return;
  const own = box.getAttribute("aria-describedby");
  box.setAttribute("aria-describedby", own ? `${describedBy} ${own}` : describedBy);
}
