// Charts for 11.4 (ordering and idempotency), drawn from the rows of runs.ts as the experiments'
// views carry them (index.ts; the run's history and trace stay in the worker). Colours are the
// workbook's CSS variables, so every chart follows light and dark mode.
import * as Plot from "../../ui/vendor/plot.js";
import {el} from "../../ui/dom.js";
import type {PaymentEffectRow, PaymentEffects} from "./cell.js";
import {STRATEGIES} from "./names.js";
import type {AtLeastOnceRun, BatchRow, DeliveryRow, KeylessRun, KeyOrderRun, LogCopyRow, OrderEventRow, RetryRun, TransactionsRun, TxnDeliveryRow} from "./runs.js";

interface Sized {
  width?: number;
}

/** Each fy facet's name, written inside its panel's top-left corner (a right-hand fy axis is clipped on phones). */
const facetLabels = (names: readonly string[]) =>
  Plot.text(names, {fy: (d: string) => d, text: (d: string) => d, frameAnchor: "top-left", dx: 6, dy: 6, fill: "currentColor", fontWeight: 600, stroke: "var(--theme-background-alt)", strokeWidth: 3, paintOrder: "stroke"});

const stepLabel = (r: {step: number}) => String(r.step + 1);
const stepTitle = (steps: readonly string[]) => (r: OrderEventRow) => `${r.order}: ${steps[r.step]} (event ${r.step + 1} of ${steps.length})`;

/** The topic as Kafka stores it: one row per partition, one cell per offset, coloured by order, numbered by step. */
export function partitionLogPlot(run: Pick<KeyOrderRun, "appends" | "partitions" | "steps">, {width = 640}: Sized = {}) {
  const orders = [...new Set(run.appends.map((a) => a.order))];
  const maxOffset = Math.max(0, ...run.appends.map((a) => a.offset));
  return Plot.plot({
    width,
    height: 50 + 34 * run.partitions,
    marginLeft: 80,
    x: {type: "band", label: "offset →", domain: Array.from({length: Math.max(maxOffset, 5) + 1}, (_, o) => o), tickFormat: (o: number) => (o % Math.ceil((maxOffset + 1) / 12) === 0 ? String(o) : "")},
    y: {domain: Array.from({length: run.partitions}, (_, p) => p), tickFormat: (p: number) => `partition ${p}`, label: null},
    color: {type: "categorical", domain: orders, legend: true},
    marks: [
      Plot.cell(run.appends, {x: "offset", y: "partition", fill: "order", inset: 1, title: stepTitle(run.steps)}),
      Plot.text(run.appends, {x: "offset", y: "partition", text: stepLabel, fill: "white", fontWeight: 600})
    ]
  });
}

/** What the group did with each order: one row per order, its events at the time they were processed, coloured by consumer. */
export function orderProcessingPlot(run: Pick<KeyOrderRun, "appends" | "deliveries" | "violations" | "consumers" | "steps">, {width = 640}: Sized = {}) {
  const orders = [...new Set(run.appends.map((a) => a.order))];
  const late = new Set(run.violations.map((v) => `${v.order}/${v.step}`));
  const isLate = (d: OrderEventRow) => late.has(`${d.order}/${d.step}`);
  return Plot.plot({
    width,
    height: 60 + 30 * orders.length,
    marginLeft: 90,
    x: {label: "processed at (virtual ms) →", nice: true},
    y: {domain: orders, label: null},
    color: {domain: run.consumers, legend: true, scheme: "tableau10"},
    marks: [
      Plot.ruleY(orders, {stroke: "var(--theme-foreground-faintest)"}),
      Plot.dot(run.deliveries.filter(isLate), {x: "time", y: "order", r: 13, stroke: "var(--workbook-bad)", strokeWidth: 3}),
      Plot.dot(run.deliveries, {x: "time", y: "order", fill: "consumer", r: 9, title: (d: OrderEventRow) => `${stepTitle(run.steps)(d)}\nprocessed by ${d.consumer} at ${d.time} ms (partition ${d.partition}, offset ${d.offset})${isLate(d) ? "\nOUT OF ORDER: a later event of this order was processed first" : ""}`}),
      Plot.text(run.deliveries, {x: "time", y: "order", text: stepLabel, fill: "white", fontWeight: 600})
    ]
  });
}

/** Which partition each batch went to, when, and how many records it carried: sticky above, round-robin below. */
export function keylessBatchPlot(run: Pick<KeylessRun, "partitions" | "batches">, {width = 640}: Sized = {}) {
  return Plot.plot({
    width,
    height: 110 + 2 * (26 * run.partitions + 24),
    marginLeft: 80,
    marginRight: 10,
    // insetLeft: a large first batch at 0 ms would cover the partition's name.
    x: {label: "sent at (virtual ms) →", nice: true, insetLeft: 14},
    fy: {domain: STRATEGIES, label: null, axis: null},
    // Room above the first partition for the panel's name, so it never sits on a batch.
    y: {domain: Array.from({length: run.partitions}, (_, p) => p), tickFormat: (p: number) => `partition ${p}`, label: null, insetTop: 24},
    r: {range: [2, 12], domain: [0, Math.max(1, ...run.batches.map((b) => b.records))]},
    marks: [
      Plot.frame({stroke: "var(--theme-foreground-faintest)"}),
      facetLabels(STRATEGIES),
      Plot.dot(run.batches, {
        x: "time", y: "partition", fy: "strategy", r: "records", fill: (b: BatchRow) => (b.strategy === STRATEGIES[0] ? "var(--workbook-accent)" : "var(--workbook-warn)"), fillOpacity: 0.7,
        // The tip shows the title of the dot under the pointer: a <title> in each of some 600 dots made every redraw longer.
        tip: true,
        title: (b: BatchRow) => `${b.strategy}\nbatch ${b.batch} → partition ${b.partition}\n${b.records} record${b.records === 1 ? "" : "s"} (from record ${b.first}), sent at ${b.time} ms`
      })
    ]
  });
}

const consumerColor = {domain: ["billing-a", "billing-b"], range: ["var(--workbook-accent)", "var(--workbook-good)"]};

/** A "next offset to read" drawn as the boundary under it: rows below the line were read (or committed). */
const boundary = (offset: number) => offset - 0.5;

/**
 * Every delivery of a payment event (offset over time), with billing-a's position and the group's
 * committed offset in one convention, the next offset to read, drawn as boundaries between rows.
 * At the crash the rows between the two are the ones delivered again (shaded); duplicates are ringed and crossed.
 */
export function redeliveryTimelinePlot(run: Omit<AtLeastOnceRun, "history" | "verdict" | "trace">, {width = 640}: Sized = {}) {
  const s = (ms: number) => ms / 1000;
  const end = s(run.endTime);
  const committed = [{time: 0, offset: 0}, ...run.commits];
  const committedSteps = [...committed, {time: run.endTime, offset: committed[committed.length - 1].offset}];
  const stop = run.crashAt ?? run.endTime;
  const position = [{time: 0, offset: 0}, ...run.positions.filter((p) => p.time <= stop)];
  const positionSteps = [...position, {time: stop, offset: position[position.length - 1].offset}];
  const window = run.crashAt !== null && run.positionAtCrash > run.committedAtCrash ? [{from: run.committedAtCrash, to: run.positionAtCrash}] : [];
  const events = [
    ...(run.crashAt !== null ? [{time: run.crashAt, label: "billing-a crashes", color: "var(--workbook-bad)", anchor: "start" as const}] : []),
    // Written left of its line: billing-b's deliveries start right after it.
    ...(run.takeoverAt !== null ? [{time: run.takeoverAt, label: "billing-b takes over", color: "var(--workbook-good)", anchor: "end" as const}] : [])
  ];
  return Plot.plot({
    width,
    height: 340,
    marginRight: 10,
    x: {label: "time (virtual s) →", domain: [0, end]},
    y: {label: "↑ offset", domain: [-0.5, run.records + 0.5], grid: true},
    color: {...consumerColor, legend: true},
    marks: [
      Plot.rectY(window, {x1: s(run.crashAt ?? 0), x2: end, y1: (w) => boundary(w.from), y2: (w) => boundary(w.to), fill: "var(--workbook-bad)", fillOpacity: 0.12}),
      // Both labels start at the crash, above and below the shaded rows, clear of the redeliveries on the right.
      Plot.text(window, {x: s(run.crashAt ?? 0), y: (w) => boundary(w.from), text: (w) => (w.to - w.from === 1 ? `offset ${w.from}\ndelivered again` : `offsets ${w.from}..${w.to - 1}\ndelivered again`), textAnchor: "start", lineAnchor: "top", dx: 4, dy: 3, fill: "var(--workbook-bad)"}),
      Plot.line(committedSteps, {x: (c) => s(c.time), y: (c) => boundary(c.offset), curve: "step-after", stroke: "var(--theme-foreground-muted)", strokeWidth: 1.5, strokeDasharray: "4 3"}),
      Plot.text(committedSteps.slice(-1), {x: (c) => s(c.time), y: (c) => boundary(c.offset), text: (c) => `committed offset ${c.offset} (next to read)`, textAnchor: "end", dy: -8, fill: "var(--theme-foreground-muted)"}),
      Plot.line(positionSteps, {x: (c) => s(c.time), y: (c) => boundary(c.offset), curve: "step-after", stroke: "var(--workbook-accent)", strokeWidth: 1.5}),
      run.crashAt !== null ? Plot.text(positionSteps.slice(-1), {x: (c) => s(c.time), y: (c) => boundary(c.offset), text: (c) => `billing-a's\nposition ${c.offset}`, textAnchor: "start", lineAnchor: "bottom", dx: 4, dy: -3, fill: "var(--workbook-accent)"}) : null,
      Plot.ruleX(events, {x: (e) => s(e.time), stroke: "color", strokeWidth: 1.5}),
      // At the foot of their lines: the top right holds the committed offset's label, and offsets
      // below the crash were all read before it, so the bottom right stays empty.
      ...events.map((e, i) => Plot.text([e], {x: s(e.time), text: "label", fill: "color", textAnchor: e.anchor, dx: e.anchor === "start" ? 4 : -4, dy: -6 - 14 * i, frameAnchor: "bottom"})),
      Plot.dot(run.deliveries.filter((d) => d.duplicate), {x: (d: DeliveryRow) => s(d.time), y: "offset", r: 8, stroke: "var(--workbook-bad)", strokeWidth: 2}),
      Plot.dot(run.deliveries, {
        x: (d: DeliveryRow) => s(d.time), y: "offset", fill: "consumer", r: 3.5,
        title: (d: DeliveryRow) => `${d.eventId} (offset ${d.offset})\ndelivered to ${d.consumer} at ${d.time} ms${d.duplicate ? `\nDUPLICATE: delivery ${d.delivery}` : ""}`
      }),
      Plot.dot(run.deliveries.filter((d) => d.duplicate), {x: (d: DeliveryRow) => s(d.time), y: "offset", symbol: "times", r: 4, stroke: "var(--workbook-bad)", strokeWidth: 2})
    ]
  });
}

const idempotenceColor = {domain: ["first copy", "duplicate copy"], range: ["var(--workbook-accent)", "var(--workbook-bad)"]};
const copyKind = (r: LogCopyRow) => (r.duplicate ? "duplicate copy" : "first copy");

/** The partition's log after the run, for idempotence off and on: which record sits at each offset. */
export function retryLogPlot(run: Pick<RetryRun, "log">, {width = 640}: Sized = {}) {
  const records = Math.max(1, ...run.log.map((r) => r.record));
  return Plot.plot({
    width,
    height: 2 * Math.min(260, 40 + 10 * records) + 80,
    x: {label: "offset in the partition →", nice: true},
    y: {label: "↑ record (send order)", domain: [0.5, records + 0.5], ticks: Math.min(10, records), tickFormat: "d", grid: true},
    fy: {domain: ["enable.idempotence=false", "enable.idempotence=true"], label: null, axis: null},
    color: {...idempotenceColor, legend: true},
    marks: [
      Plot.frame({stroke: "var(--theme-foreground-faintest)"}),
      facetLabels(["enable.idempotence=false", "enable.idempotence=true"]),
      Plot.dot(run.log, {
        x: "offset", y: "record", fy: "idempotence", fill: copyKind, r: 4, symbol: (r: LogCopyRow) => (r.duplicate ? "times" : "circle"), stroke: copyKind,
        title: (r: LogCopyRow) => `offset ${r.offset}: record ${r.record}, written by attempt ${r.attempt} at ${r.time} ms\n${copyKind(r)}`
      })
    ]
  });
}

const outcomeColor = {domain: ["committed", "aborted", "open"], range: ["var(--workbook-good)", "var(--workbook-bad)", "var(--workbook-warn)"]};

/** The high watermark and the last stable offset over time: the gap is what read_committed may not read yet. */
export function stableOffsetPlot(run: Pick<TransactionsRun, "samples" | "ends" | "crashAt" | "endTime">, {width = 640}: Sized = {}) {
  const s = (ms: number) => ms / 1000;
  const series = run.samples.flatMap((p) => [
    {time: s(p.time), offset: p.highWatermark, series: "high watermark (read_uncommitted reads up to here)"},
    {time: s(p.time), offset: p.lastStableOffset, series: "last stable offset (read_committed reads up to here)"}
  ]);
  const ends = run.ends.map((e) => ({...e, time: s(e.time), label: e.reason === "commit" ? "commit" : e.reason === "abort" ? "abort" : `abort (${e.reason})`}));
  return Plot.plot({
    width,
    height: 280,
    x: {label: "time (virtual s) →", domain: [0, s(run.endTime)]},
    y: {label: "↑ offset", grid: true},
    color: {domain: ["high watermark (read_uncommitted reads up to here)", "last stable offset (read_committed reads up to here)"], range: ["var(--workbook-accent)", "var(--workbook-good)"], legend: true},
    marks: [
      Plot.areaY(run.samples, {x: (p) => s(p.time), y1: "lastStableOffset", y2: "highWatermark", curve: "step-after", fill: "var(--workbook-warn)", fillOpacity: 0.2}),
      Plot.line(series, {x: "time", y: "offset", stroke: "series", curve: "step-after", strokeWidth: 2}),
      Plot.dot(ends.filter((e) => e.offset !== null), {
        x: "time", y: "offset", r: 5, strokeWidth: 2, symbol: (e) => (e.outcome === "commit" ? "circle" : "times"), stroke: (e) => (e.outcome === "commit" ? "var(--workbook-good)" : "var(--workbook-bad)"),
        title: (e) => `${e.label} of transaction ${e.transaction ?? "?"} at ${e.time} s: marker at offset ${e.offset}`
      }),
      run.crashAt !== null ? Plot.ruleX([s(run.crashAt)], {stroke: "var(--workbook-bad)", strokeDasharray: "4 3"}) : null,
      run.crashAt !== null ? Plot.text([s(run.crashAt)], {x: (d) => d, text: () => "producer crashes", frameAnchor: "top", textAnchor: "start", dx: 4, fill: "var(--workbook-bad)"}) : null,
      Plot.ruleY([0])
    ]
  });
}

/** The two consumers side by side: every record each one read, coloured by its transaction's outcome. */
export function isolationPlot(run: Pick<TransactionsRun, "log" | "deliveries" | "endTime">, {width = 640}: Sized = {}) {
  const s = (ms: number) => ms / 1000;
  const maxOffset = Math.max(1, ...run.log.map((l) => l.offset));
  return Plot.plot({
    width,
    height: 320,
    x: {label: "read at (virtual s) →", domain: [0, s(run.endTime)]},
    y: {label: "↑ offset", domain: [-0.5, maxOffset + 0.5], grid: true},
    fx: {domain: ["read_uncommitted", "read_committed"], label: null},
    color: {...outcomeColor, legend: true},
    marks: [
      Plot.frame({stroke: "var(--theme-foreground-faintest)"}),
      Plot.dot(run.deliveries, {
        x: (d: TxnDeliveryRow) => s(d.time), y: "offset", fx: "isolation", fill: "outcome", r: 3.5,
        tip: true, // one tip, not a <title> per delivery (see keylessBatchPlot)
        title: (d: TxnDeliveryRow) => `offset ${d.offset}: transaction ${d.transaction} (${d.outcome})\nread by the ${d.isolation} consumer at ${d.time} ms`
      })
    ]
  });
}

/** Rows in the payments table per event: one is right, two is a customer charged twice. */
export function paymentEffectsPlot(effects: PaymentEffects, {width = 640}: {width?: number} = {}) {
  return Plot.plot({
    width,
    height: 240,
    marginBottom: 60,
    x: {domain: effects.rows.map((r) => r.eventId), label: null, tickRotate: -40},
    y: {label: "↑ rows in payments", domain: [0, Math.max(2, ...effects.rows.map((r) => r.rows))], ticks: Array.from({length: Math.max(2, ...effects.rows.map((r) => r.rows)) + 1}, (_, i) => i), tickFormat: "d", grid: true},
    marks: [
      Plot.barY(effects.rows, {
        x: "eventId", y: "rows", fill: (r: PaymentEffectRow) => (r.rows > 1 ? "var(--workbook-bad)" : "var(--workbook-good)"),
        title: (r: PaymentEffectRow) => `${r.eventId}: ${r.rows} row${r.rows === 1 ? "" : "s"}, charged ${r.charged}`
      }),
      Plot.ruleY([1], {stroke: "var(--theme-foreground-muted)", strokeDasharray: "4 3"}),
      Plot.ruleY([0])
    ]
  });
}

/** A small summary as a plain table whose headers wrap (Inputs.table truncates them on a phone); it scrolls sideways if it must. */
export function summaryTable(rows: Record<string, string | number>[]): HTMLDivElement {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (tag: "th" | "td", value: string | number) => el(tag, {style: typeof value === "number" ? "text-align: right" : null}, String(value));
  return el("div", {style: "overflow-x: auto"},
    el("table", {style: "font-size: 0.85em"},
      el("thead", {}, el("tr", {}, columns.map((c) => cell("th", c)))),
      el("tbody", {}, rows.map((r) => el("tr", {}, columns.map((c) => cell(c === columns[0] ? "th" : "td", r[c])))))
    )
  );
}
