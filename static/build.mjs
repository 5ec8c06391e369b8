// Builds static/vendor/ from npm packages so that nothing is fetched from a CDN at run time.
// Run with `npm run build` (the Makefile does this for you).
import { compile } from "sass";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "static", "vendor");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk", "assets"), { recursive: true });

const css = compile(join(root, "static", "src", "portal.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "portal.css"), css.css);

const govuk = join(modules, "govuk-frontend", "dist", "govuk");
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
cpSync(join(modules, "axe-core", "axe.min.js"), join(out, "axe.min.js"));

// Leaflet and its cluster plug-in, for the folium maps (folium's own CDN links are never used).
for (const file of ["leaflet.js", "leaflet.css", "images"]) {
  cpSync(join(modules, "leaflet", "dist", file), join(out, "leaflet", file), { recursive: true });
}
for (const file of ["leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"]) {
  cpSync(join(modules, "leaflet.markercluster", "dist", file), join(out, "leaflet", file));
}
// GOV.UK's accessible-autocomplete, for the organisation chooser (static/directory/organisation-chooser.js).
for (const file of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.css"]) {
  cpSync(join(modules, "accessible-autocomplete", "dist", file), join(out, "accessible-autocomplete", file));
}
console.log(`static/vendor built: portal.css ${css.css.length} bytes`);
