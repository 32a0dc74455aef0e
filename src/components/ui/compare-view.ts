// Two runs that differ in one setting, on one time axis: each run's operations as ticks, the
// first divergence as a dashed rule, and every anomaly the checker found as a red ring. Each
// anomaly in the list below is a button that marks its moment on the axis and, when the runs'
// traces are given, opens that run's log view at that moment (log-view.ts, with its player).
import * as Plot from "./vendor/plot.js";
import {anomalyMoments, describeOperation, seconds, type Comparison, type Moment} from "../history/compare.js";
import type {Operation} from "../history/history.js";
import type {TraceEvent} from "../sim/trace.js";
import {el} from "./dom.js";
import {logView} from "./log-view.js";

export interface CompareViewOptions {
  width?: number;
  /** Each run's trace, in the comparison's order: an anomaly then opens its run's log view at its moment. */
  traces?: [readonly TraceEvent[], readonly TraceEvent[]];
  /** The topic the log view draws (default: the busiest). */
  topic?: string;
  /** At most this many anomalies listed per run (default 6). */
  listed?: number;
}

const KINDS: Record<Operation["type"], string> = {produce: "publish / produce", append: "append", deliver: "delivery", ack: "ack / commit", commit: "ack / commit", crash: "crash", rebalance: "rebalance", transaction: "transaction end"};
const ANOMALY: Record<Moment["anomaly"], string> = {lost: "lost", duplicated: "duplicate", reordered: "out of key order", uncommittedReads: "uncommitted read"};

type Placed = Moment & {run: string; side: 0 | 1};

/** One tick per kind and pixel column: a run of thousands of operations draws no more than the eye can tell apart. */
function ticks(history: readonly Operation[], run: string, width: number) {
  if (history.length === 0) return [];
  const end = Math.max(...history.map((op) => op.time)) || 1;
  const seen = new Set<string>();
  return history.flatMap((op) => {
    const id = `${op.type}/${Math.round((op.time / end) * width)}`;
    if (seen.has(id)) return [];
    seen.add(id);
    return [{run, time: op.time / 1000, kind: KINDS[op.type]}];
  });
}

/** The comparison's chart, with `selected` (if any) marked as a solid rule. */
function timeline(comparison: Comparison, moments: Placed[], selected: number | null, width: number) {
  const [la, lb] = comparison.labels;
  const ops = [...ticks(comparison.histories.a, la, width), ...ticks(comparison.histories.b, lb, width)];
  const d = comparison.divergence;
  const divergedAt = d ? Math.min(d.a?.time ?? Infinity, d.b?.time ?? Infinity) / 1000 : null;
  return Plot.plot({
    width,
    height: 190,
    marginLeft: 12,
    marginRight: 12,
    x: {label: "time (s) →", nice: true},
    fy: {domain: [la, lb], axis: null, padding: 0.15},
    y: {domain: Object.values(KINDS).filter((k, i, all) => all.indexOf(k) === i), axis: null, insetTop: 16},
    color: {legend: true, domain: Object.values(KINDS).filter((k, i, all) => all.indexOf(k) === i), scheme: "tableau10"},
    marks: [
      Plot.frame({stroke: "var(--theme-foreground-faintest)"}),
      Plot.text([la, lb], {fy: (r: string) => r, text: (r: string) => r, frameAnchor: "top-left", dx: 4, dy: 3, fill: "currentColor", fontWeight: 600}),
      Plot.tickX(ops, {x: "time", fy: "run", y: "kind", stroke: "kind", strokeOpacity: 0.8}),
      Plot.dot(moments, {x: (m: Placed) => m.time / 1000, fy: "run", y: () => KINDS.deliver, r: 6, stroke: "var(--workbook-bad)", strokeWidth: 2, title: (m: Placed) => `${ANOMALY[m.anomaly]}: ${m.text}`}),
      divergedAt === null ? null : Plot.ruleX([divergedAt], {stroke: "var(--workbook-warn)", strokeDasharray: "4,3", strokeWidth: 2}),
      // Under the second run's ticks, where no run label sits.
      divergedAt === null ? null : Plot.text([divergedAt], {x: (t: number) => t, fy: () => lb, frameAnchor: "bottom", dy: -3, dx: 4, textAnchor: "start", text: () => "first divergence", fill: "var(--workbook-warn)"}),
      selected === null ? null : Plot.ruleX([selected / 1000], {stroke: "var(--workbook-accent)", strokeWidth: 2})
    ]
  });
}

/** A comparison of two runs (history/compare.ts compareRuns): the chart, the sentence, and every anomaly linked to its moment. */
export function compareView(comparison: Comparison, {width = 640, traces, topic, listed = 6}: CompareViewOptions = {}): HTMLElement {
  const [la, lb] = comparison.labels;
  const moments: Placed[] = [
    ...anomalyMoments(comparison.verdicts.a).map((m) => ({...m, run: la, side: 0 as const})),
    ...anomalyMoments(comparison.verdicts.b).map((m) => ({...m, run: lb, side: 1 as const}))
  ];
  const root = el("figure", {class: "compare-view"});
  const chart = el("div", {});
  const detail = el("div", {class: "compare-view-detail", "aria-live": "polite"});
  const show = (time: number | null, side: 0 | 1 | null, what: string | null) => {
    chart.replaceChildren(timeline(comparison, moments, time, width));
    detail.replaceChildren();
    if (time === null || what === null) return;
    detail.append(el("p", {}, el("strong", {}, `${side === null ? "" : comparison.labels[side]} at ${seconds(time)}: `), what));
    if (traces && side !== null) detail.append(logView(traces[side], {width, topic, time, title: `The log of the run with ${comparison.labels[side]} at ${seconds(time)}`}));
  };
  const button = (label: string, onClick: () => void) => {
    const b = el("button", {type: "button", class: "compare-view-moment"}, label);
    b.addEventListener("click", onClick);
    return b;
  };
  const d = comparison.divergence;
  const items: HTMLElement[] = [];
  if (d) {
    // The earlier of the two operations where the runs part: the first run's, if it acted first.
    const aFirst = d.a !== undefined && (d.b === undefined || d.a.time < d.b.time);
    const [op, side, text] = aFirst ? [d.a!, 0 as const, describeOperation(d.a!)] : [d.b!, 1 as const, d.text];
    items.push(el("li", {}, button(`first divergence, ${seconds(op.time)}`, () => show(op.time, side, text)), ` ${comparison.labels[side]}: ${text}`));
  }
  for (const side of [0, 1] as const) {
    const mine = moments.filter((m) => m.side === side);
    if (mine.length === 0) {
      items.push(el("li", {}, `${comparison.labels[side]}: the checker finds no anomaly.`));
      continue;
    }
    for (const m of mine.slice(0, listed)) items.push(el("li", {}, button(`${ANOMALY[m.anomaly]}, ${seconds(m.time)}`, () => show(m.time, side, m.text)), ` ${comparison.labels[side]}: ${m.text}`));
    if (mine.length > listed) items.push(el("li", {}, `${comparison.labels[side]}: and ${mine.length - listed} more.`));
  }
  root.append(chart, el("figcaption", {}, comparison.text), el("ul", {class: "compare-view-list"}, items), detail);
  show(null, null, null);
  return root;
}
