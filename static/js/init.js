// Starts GOV.UK Frontend's components (loaded as a module so it needs no inline script).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
