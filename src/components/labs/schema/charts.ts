// What 11.5 draws: the verdict table (every level, every version) with its reasons, the
// registry's answers, the deploy-order chart and the byte inspector's annotated bytes.
import * as Plot from "../../ui/vendor/plot.js";
import type {WireRegion} from "../../schema/wire.js";
import {el} from "../../ui/dom.js";
import {
  COMPATIBILITY_LEVELS,
  encodingNote,
  verdictReasons,
  verdictSummary,
  type CandidateVerdicts,
  type DeployRun,
  type ExampleVerdict,
  type Inspection,
  type Reading,
  type Registration
} from "./model.js";

/** What each level checks, in reader/writer terms (Confluent, "Schema Evolution and Compatibility"). */
const LEVEL_MEANING: Record<(typeof COMPATIBILITY_LEVELS)[number], string> = {
  NONE: "no check",
  BACKWARD: "new reads the latest old",
  BACKWARD_TRANSITIVE: "new reads every old",
  FORWARD: "the latest old reads new",
  FORWARD_TRANSITIVE: "every old reads new",
  FULL: "both, with the latest",
  FULL_TRANSITIVE: "both, with every old"
};

/** Levels down, versions across: ✓ or ✗ with the readings that fail; the reasons below, with field paths. */
export function verdictTable(verdicts: readonly CandidateVerdicts[]): HTMLElement {
  if (verdicts.length === 0) return el("p", {class: "workbook-error"}, "Only one version is in use: write a v2 to get a verdict.");
  const head = el("tr", {}, el("th", {}, "level"), verdicts.map((v) => el("th", {}, `${v.name} after ${v.previous.join(", ")}`)));
  const rows = COMPATIBILITY_LEVELS.map((level) =>
    el(
      "tr",
      {"data-level": level},
      el("th", {scope: "row"}, el("code", {}, level), el("span", {class: "schema-muted"}, ` ${LEVEL_MEANING[level]}`)),
      verdicts.map((v) => {
        const {compatible, text} = verdictSummary(v, level);
        return el("td", {class: v.ok ? (compatible ? "schema-pass" : "schema-fail") : "schema-muted", "data-version": v.name}, v.ok ? `${compatible ? "✓" : "✗"} ${text}` : text);
      })
    )
  );
  const reasons = verdicts.flatMap((v) => {
    if (!v.ok) return [el("li", {class: "workbook-error"}, `${v.name}: ${v.message}`)];
    return verdictReasons(v).map((r) =>
      el(
        "li",
        {},
        el("strong", {}, `${r.reading} (${r.direction})`),
        " · ",
        el("code", {}, r.issue.path || "(top level)"),
        ` · ${r.issue.kind} at ${r.issue.location}: ${r.issue.message}`
      )
    );
  });
  return el(
    "div",
    {class: "schema-verdicts"},
    el("div", {class: "schema-scroll"}, el("table", {class: "schema-table"}, el("thead", {}, head), el("tbody", {}, rows))),
    reasons.length ? el("div", {}, el("p", {}, "Why:"), el("ul", {class: "schema-reasons"}, reasons)) : el("p", {class: "workbook-ok"}, "Every reading works both ways: every level accepts.")
  );
}

/** Old data read by the new schema and new data read by the old one, side by side. */
export function readingsTable(readings: readonly Reading[]): HTMLElement {
  const json = (value: unknown) => el("code", {class: "schema-json"}, JSON.stringify(value));
  return el(
    "div",
    {class: "schema-scroll"},
    el(
      "table",
      {class: "schema-table schema-readings"},
      el("thead", {}, el("tr", {}, el("th", {}, "rule"), el("th", {}, "written with"), el("th", {}, "read with"), el("th", {}, "the reader gets"))),
      el(
        "tbody",
        {},
        readings.map((r) =>
          el(
            "tr",
            {},
            el("td", {}, r.rule),
            el("td", {}, `${r.writer}: `, json(r.written)),
            el("td", {}, r.reader),
            r.error ? el("td", {class: "schema-fail"}, `✗ ${r.error}`) : el("td", {class: "schema-pass"}, "✓ ", json(r.read))
          )
        )
      )
    )
  );
}

/** The registry's answer to each POST, refused ones with their reasons. */
export function registrationList(registrations: readonly Registration[], subject: string): HTMLElement {
  return el(
    "ul",
    {class: "schema-registrations"},
    registrations.map((r) =>
      r.ok
        ? el("li", {class: "workbook-ok"}, `✓ POST /subjects/${subject}/versions (${r.name}) → id ${r.id}, version ${r.version}${r.created ? "" : " (already registered)"}`)
        : el(
            "li",
            {class: "workbook-error"},
            `✗ POST /subjects/${subject}/versions (${r.name}) → ${r.message}`,
            r.issues.length > 0 &&
              el("ul", {}, r.issues.map((i) => el("li", {}, `against version ${i.version}, ${i.direction}: `, el("code", {}, i.path || "(top level)"), ` ${i.kind} at ${i.location}: ${i.message}`)))
          )
    )
  );
}

/** Records per time bucket: read, failed to deserialise, refused at the producer; deploys marked. */
export function deployPlot(run: DeployRun, {width = 640}: {width?: number} = {}) {
  const outcomes = [
    {key: "ok", label: "read", color: "var(--workbook-good)"},
    {key: "failed", label: "failed to deserialise", color: "var(--workbook-bad)"},
    {key: "rejected", label: "refused at the producer", color: "var(--workbook-warn)"}
  ] as const;
  const rows = run.buckets.flatMap((b) => outcomes.map((o) => ({start: b.start / 1000, end: b.end / 1000, outcome: o.label, count: b[o.key]})));
  const [producer, consumer] = run.steps;
  const deploys =
    producer.at === consumer.at
      ? [{at: producer.at / 1000, label: `producers and consumers → v${producer.version}`}]
      : run.steps.map((s) => ({at: s.at / 1000, label: `${s.role}s → v${s.version}`}));
  return Plot.plot({
    width,
    height: 280,
    marginTop: 44,
    x: {label: "time (s) →"},
    y: {label: "↑ records", grid: true},
    color: {legend: true, domain: outcomes.map((o) => o.label), range: outcomes.map((o) => o.color)},
    marks: [
      Plot.rectY(rows, Plot.stackY({x1: "start", x2: "end", y: "count", fill: "outcome", insetLeft: 1, tip: true, title: (d: (typeof rows)[number]) => `${d.start}–${d.end} s: ${d.count} ${d.outcome}`})),
      Plot.ruleX(deploys, {x: "at", stroke: "var(--theme-foreground)", strokeDasharray: "4 3"}),
      // One line each: two deploys a few seconds apart would write over each other on a phone.
      ...deploys.map((d, i) => Plot.text([d], {x: "at", text: "label", frameAnchor: "top", dy: -14 * (deploys.length - i), dx: 4, textAnchor: "start", fill: "currentColor"})),
      Plot.ruleY([0])
    ]
  });
}

/** The framed bytes as boxes coloured by region, and a table saying what each region is. */
export function byteView(inspection: Inspection): HTMLElement {
  if (!inspection.ok) {
    return el(
      "div",
      {class: "workbook-error schema-byte-error"},
      el("p", {}, inspection.message),
      inspection.problems &&
        el(
          "ul",
          {},
          inspection.problems.map((p) => el("li", {}, el("code", {}, p.path || "(the value)"), ` = ${p.value === undefined ? "missing" : JSON.stringify(p.value)}: expected ${p.expected}`))
        )
    );
  }
  const {bytes, regions} = inspection;
  const top = regions.filter((r) => r.depth === 0);
  const regionOf = (i: number) => top.findIndex((r) => i >= r.start && i < r.end);
  // One colour per top-level region, shared by its boxes and its rows (nested fields take their
  // record's). A region may hold no byte at all (a null, an empty record), so rows find their
  // top-level region by containment, not by a byte they hold.
  const colourOf = (k: number) => `schema-region-${top[k].kind === "field" ? `f${k % 4}` : top[k].kind}`;
  const topOf = (r: WireRegion) => Math.max(0, top.findIndex((t) => t === r || (r.start >= t.start && r.end <= t.end)));
  const boxes = Array.from(bytes, (byte, i) => {
    const k = regionOf(i);
    return el(
      "span",
      {class: `schema-byte ${colourOf(k)}`, title: `byte ${i}: ${top[k].label}`},
      el("span", {class: "schema-offset"}, String(i)),
      byte.toString(16).padStart(2, "0")
    );
  });
  const row = (r: WireRegion) =>
    el(
      "tr",
      {class: colourOf(topOf(r))},
      el("td", {}, r.end === r.start ? "none" : r.end - r.start === 1 ? `${r.start}` : `${r.start}–${r.end - 1}`),
      el("td", {class: "schema-hex"}, el("code", {}, r.hex)),
      el("td", {style: `padding-left: ${0.5 + r.depth}em`}, r.kind === "field" ? el("code", {}, r.label) : r.label, r.type ? el("span", {class: "schema-muted"}, ` ${r.type}`) : null),
      el("td", {}, el("code", {class: "schema-json"}, r.value === undefined ? "" : JSON.stringify(r.value))),
      el("td", {}, encodingNote(r))
    );
  return el(
    "div",
    {class: "schema-bytes"},
    el("p", {}, `${bytes.length} bytes: 1 magic byte, 4 bytes of schema id, ${bytes.length - 5} bytes of Avro body.`),
    el("div", {class: "schema-byte-row", "aria-label": "The framed bytes in hex"}, boxes),
    el(
      "div",
      {class: "schema-scroll"},
      el(
        "table",
        {class: "schema-table"},
        el("thead", {}, el("tr", {}, el("th", {}, "bytes"), el("th", {class: "schema-hex"}, "hex"), el("th", {}, "region"), el("th", {}, "value"), el("th", {}, "how Avro wrote it"))),
        el("tbody", {}, regions.map(row))
      )
    )
  );
}

/** Each example change against v1: BACKWARD and FORWARD as the checker finds them. */
export function exampleTable(rows: readonly ExampleVerdict[] | {error: string}): HTMLElement {
  if (!Array.isArray(rows)) return el("p", {class: "workbook-error"}, (rows as {error: string}).error);
  const mark = (ok: boolean) => el("td", {class: ok ? "schema-pass" : "schema-fail"}, ok ? "✓" : "✗");
  return el(
    "div",
    {class: "schema-scroll"},
    el(
      "table",
      {class: "schema-table schema-rules"},
      el("thead", {}, el("tr", {}, el("th", {}, "v1 → v2"), el("th", {}, "BACKWARD (new reads old)"), el("th", {}, "FORWARD (old reads new)"), el("th", {}, "strictest level"), el("th", {}, "why not"))),
      el(
        "tbody",
        {},
        rows.map((r) => el("tr", {"data-example": r.id}, el("td", {}, r.label), mark(r.backward), mark(r.forward), el("td", {}, el("code", {}, r.level)), el("td", {class: "schema-why"}, r.why)))
      )
    )
  );
}
