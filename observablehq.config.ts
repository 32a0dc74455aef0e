// Observable Framework configuration. The site must build and run with no CDN and make no
// third-party request: see README "Offline by design".
export const sections = [
  {name: "11.1 Event-driven vs request-driven", path: "/event-driven-vs-request-driven"},
  {name: "11.2 Event types", path: "/event-types"},
  {name: "11.3 Kafka, RabbitMQ and EventBridge", path: "/brokers"},
  {name: "11.4 Ordering and idempotency", path: "/ordering-and-idempotency"},
  {name: "11.5 Schema evolution", path: "/schema-evolution"},
  {name: "11.6 Check your understanding", path: "/check-your-understanding"}
];

export const closing = [
  {name: "Key takeaways", path: "/key-takeaways"},
  {name: "Sources", path: "/sources"},
  {name: "Playground", path: "/playground"}
];

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
  pages: [
    {name: "Module 11", pages: sections},
    {name: "Wrap-up", pages: closing}
  ],
  search: true,
  style: "style.css",
  globalStylesheets: [],
  head: `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<link rel="icon" href="data:,">`,
  footer: "Module 11 · Event-Driven Architecture. A live workbook: every chart is computed in your browser by a deterministic simulation.",
  pager: true,
  toc: true
};
