// Observable Framework configuration. The site must build and run with no CDN and make no
// third-party request: see README "Offline by design".
import {readdirSync} from "node:fs";
import {loadData, type PageSection} from "./scripts/data.js";

// The sidebar lives in data/pages.json so that `npm run new-page` (and an instructor) can add
// a page without editing code; it is validated against data/pages.schema.json.
export const pages = loadData<PageSection[]>("pages");

// Only our own origin, and no eval: the reader's code runs in a worker inside a sandboxed frame
// that has its own policy (src/components/cells/runner.ts, scripts/vendor.ts). 'unsafe-inline'
// for scripts is forced by Framework: every built page defines its cells in an inline
// <script type="module">, different on each page (README "Isolation of the code cells").
// worker-src 'self': the labs' own module workers (src/components/labs/*/worker.ts, our code).
//
// One exception: avsc compiles each schema's reader and writer with `new Function`, so the pages
// that run avsc themselves (11.5, 11.6) allow 'unsafe-eval' for their own scripts. No other page
// does. (Framework keeps only its own front-matter keys, so the list lives here.)
const pagesRunningAvsc = new Set(["/schema-evolution", "/check-your-understanding"]);
const contentSecurityPolicy = (evaluates: boolean) => [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${evaluates ? " 'unsafe-eval'" : ""}`,
  "worker-src 'self'",
  "frame-src 'self'",
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
// Only the subtrees added since the last frame are searched: a live chart redrawn on every input
// would otherwise cost a search of the whole document per frame.
var added = [];
var queued = false;
function within(root, selector, fn) {
  if (root.matches(selector)) fn(root);
  root.querySelectorAll(selector).forEach(fn);
}
function fix() {
  var roots = added;
  added = [];
  queued = false;
  var toggle = document.getElementById("observablehq-sidebar-toggle");
  if (toggle) toggle.setAttribute("aria-label", "Toggle sidebar");
  var close = document.querySelector("#observablehq-sidebar > ol > #observablehq-sidebar-close");
  if (close) close.parentNode.before(close);
  roots.forEach(function (root) {
    if (!root.isConnected) return;
    within(root, "svg g[aria-label]:not([role])", function (g) {
      g.setAttribute("role", "group");
    });
    within(root, "form input[type=range]:not([aria-label])", function (range) {
      var label = range.form && range.form.querySelector("label");
      range.setAttribute("aria-label", (label && label.textContent.trim()) || range.name);
    });
    within(root, "#observablehq-main :is(pre, form[class$=-table], .schema-scroll, [style*=overflow-x]):not([tabindex])", function (region) {
      region.tabIndex = 0;
    });
  });
}
new MutationObserver(function (records) {
  records.forEach(function (record) {
    record.addedNodes.forEach(function (node) {
      if (node.nodeType === 1) added.push(node);
    });
  });
  if (added.length > 0 && !queued) queued = requestAnimationFrame(fix);
}).observe(document.documentElement, {childList: true, subtree: true});
})();
</script>`;

// Observable Inputs drops a number box's value that is empty, not a number, out of its range or off
// its step, and says nothing: the box keeps the reader's text (its slider may even jump to the
// bound) while the charts keep the last valid value. This says so under the box, with the
// browser's own reason, until the box holds a value Inputs takes; the reader's text stays as typed.
// (Checked a task later, once Inputs' own handler has run.)
const numberBoxScript = `<script>
(function () {
var notes = 0;
// The boxes with a note: the only ones another input can make valid.
var flagged = new Set();
var idPattern = /^workbook-number-problem-\\d+$/;
// aria-describedby is a list of ids, some maybe another's: only the note's own id is added or taken.
function describedBy(box, id) {
  var ids = (box.getAttribute("aria-describedby") || "").split(/\\s+/).filter(function (token) {
    return token && !idPattern.test(token);
  });
  if (id) ids.push(id);
  if (ids.length) box.setAttribute("aria-describedby", ids.join(" "));
  else box.removeAttribute("aria-describedby");
}
// A value as a reader would write it: 0.30000000000000004 (a fractional step's arithmetic) is 0.3.
function formatValue(value) {
  return typeof value === "number" && isFinite(value) && !Number.isInteger(value) ? String(+value.toPrecision(12)) : String(value);
}
// A status region announces every change to it, and may miss one made in the task that added it:
// so a note is added empty, filled a frame later, and never rewritten with the same text.
function say(note, text) {
  requestAnimationFrame(function () {
    if (note.isConnected && note.textContent !== text) note.textContent = text;
  });
}
function explain(box) {
  var form = box.closest("form");
  if (!form || !box.isConnected) {
    flagged.delete(box);
    return;
  }
  var next = form.nextElementSibling;
  var note = next && next.classList.contains("workbook-number-problem") ? next : null;
  if (box.checkValidity()) {
    flagged.delete(box);
    if (note) note.remove();
    box.removeAttribute("aria-invalid");
    describedBy(box, null);
    return;
  }
  if (!note) {
    note = document.createElement("p");
    note.className = "workbook-number-problem";
    note.id = "workbook-number-problem-" + ++notes;
    note.setAttribute("role", "status");
    form.after(note);
  }
  flagged.add(box);
  box.setAttribute("aria-invalid", "true");
  describedBy(box, note.id);
  say(note, box.validationMessage + " Not applied: still using " + formatValue(form.value) + ".");
}
// Any input may make a flagged box valid: its slider, or a "Try it" setting the whole form.
// Other inputs (a slider's every step, an editor's every key) cost nothing while no box is flagged.
document.addEventListener("input", function (event) {
  var target = event.target;
  var box = target instanceof HTMLInputElement && target.type === "number" && target.closest("form[class^=inputs-]") ? target : null;
  if (!box && flagged.size === 0) return;
  setTimeout(function () {
    if (box) explain(box);
    flagged.forEach(explain);
  });
}, true);
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
  head: ({path}: {path: string}) => `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(pagesRunningAvsc.has(path))}">
<link rel="icon" href="data:,">
${a11yScript}
${numberBoxScript}`,
  footer: "Module 11 · Event-Driven Architecture. A live workbook: every chart is computed in your browser by a deterministic simulation.",
  pager: true,
  // Links end in .html, so every static host serves them without URL rewriting (S3, a local
  // `python3 -m http.server`); test/e2e/static-host.e2e.test.ts clicks them on such a server.
  preserveExtension: true,
  // Only 404.html uses it (<base href>): a site hosted under a sub-path builds with
  // WORKBOOK_BASE=/workbook/ so its 404 page finds its styles and links from any depth.
  base: process.env.WORKBOOK_BASE ?? "/",
  toc: true
};
