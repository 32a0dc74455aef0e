// Observable Framework configuration. The site must build and run with no CDN and make no
// third-party request: see README "Offline by design".
import {readdirSync} from "node:fs";
import {loadData, type PageSection} from "./scripts/data.js";

// The sidebar lives in data/pages.json so that `npm run new-page` (and an instructor) can add
// a page without editing code; it is validated against data/pages.schema.json.
export const pages = loadData<PageSection[]>("pages");

// Only our own origin; blob: for the code runner's worker; 'unsafe-eval' because the runner
// evaluates the reader's transpiled code inside that worker.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'"
].join("; ");

// Accessibility fixes to markup this project does not write (issue 14 §4, axe-core): Framework's
// <html> has no lang, its sidebar toggle is named only by a title, and its close <label> sits
// directly in a list (an <ol> may hold only <li>); Observable Inputs' range slider has no name of
// its own (its label is for the number box beside it); Plot names each mark's <g>, which SVG-AAM
// maps to role group but axe wants said; a region that scrolls (a <pre>, an Inputs.table) must be
// reachable by keyboard (WCAG 2.1.1).
const a11yScript = `<script>
(function () {
document.documentElement.lang = "en";
var queued = false;
function fix() {
  queued = false;
  var toggle = document.getElementById("observablehq-sidebar-toggle");
  if (toggle) toggle.setAttribute("aria-label", "Toggle sidebar");
  var close = document.querySelector("#observablehq-sidebar > ol > #observablehq-sidebar-close");
  if (close) close.parentNode.before(close);
  document.querySelectorAll("svg g[aria-label]:not([role])").forEach(function (g) {
    g.setAttribute("role", "group");
  });
  document.querySelectorAll("form input[type=range]:not([aria-label])").forEach(function (range) {
    var label = range.form && range.form.querySelector("label");
    range.setAttribute("aria-label", (label && label.textContent.trim()) || range.name);
  });
  document.querySelectorAll("#observablehq-main :is(pre, form[class$=-table], .schema-scroll, [style*=overflow-x]):not([tabindex])").forEach(function (region) {
    region.tabIndex = 0;
  });
}
new MutationObserver(function () {
  if (!queued) queued = requestAnimationFrame(fix);
}).observe(document.documentElement, {childList: true, subtree: true});
})();
</script>`;

export default {
  root: "src",
  // WORKBOOK_DIST lets two builds run side by side (a developer's and a test's); default dist/.
  output: process.env.WORKBOOK_DIST ?? "dist",
  title: "Event-Driven Architecture: a live workbook",
  pages,
  // Every scenario is built (and so validated against data/scenario.schema.json), whether or
  // not a page reads it yet: a bad scenario file fails the build.
  dynamicPaths: readdirSync("data/scenarios").map((file) => `/data/scenarios/${file}`),
  search: true,
  style: "style.css",
  globalStylesheets: [],
  head: `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<link rel="icon" href="data:,">
${a11yScript}`,
  footer: "Module 11 · Event-Driven Architecture. A live workbook: every chart is computed in your browser by a deterministic simulation.",
  pager: true,
  toc: true
};
