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
<link rel="icon" href="data:,">`,
  footer: "Module 11 · Event-Driven Architecture. A live workbook: every chart is computed in your browser by a deterministic simulation.",
  pager: true,
  toc: true
};
