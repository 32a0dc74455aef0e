// Charts for the disguised-command experiment (11.2): how long each registration takes, and how
// many complete or fail in each interval, for the honest event and the disguised command; and
// the flow diagram's input for the first registrations. The per-interval counts are also what
// the lab's metrics read, so a claim quotes the chart it sits under.
import * as Plot from "../../ui/vendor/plot.js";
import {designs, type DisguiseRun, type Registration} from "./disguise.js";
import type {FlowEdge, FlowMessage, FlowNode} from "../../ui/flow.js";

const outcomeColor = {domain: ["completed", "failed (no reply in time)"], range: ["var(--workbook-good)", "var(--workbook-bad)"]};
const designColor = {domain: [...designs], range: ["var(--workbook-accent)", "var(--workbook-warn)"]};

export const latency = (r: Registration) => r.end - r.start;

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Interval {
  design: string;
  /** Start of the interval, in seconds: registrations are counted by when they started. */
  second: number;
  completed: number;
  failed: number;
  /** Median time to complete (or to fail) of the registrations started in the interval, ms. */
  medianMs: number;
}

/** Each design's registrations per interval of `parameters.intervalMs`, every interval of the run included. */
export function intervals(run: DisguiseRun): Interval[] {
  const {intervalMs, durationMs} = run.parameters;
  const count = Math.ceil(durationMs / intervalMs);
  return designs.flatMap((design) => {
    const mine = run.registrations.filter((r) => r.design === design);
    return Array.from({length: count}, (_, i) => {
      const inside = mine.filter((r) => Math.floor(r.start / intervalMs) === i);
      const completed = inside.filter((r) => r.completed).length;
      return {design, second: (i * intervalMs) / 1000, completed, failed: inside.length - completed, medianMs: Math.round(median(inside.map(latency)))};
    });
  });
}

/** Every registration's time to complete against when it started; a failure is a cross at the timeout. */
export function registrationTimesPlot(run: DisguiseRun, {width = 640}: {width?: number} = {}) {
  const rows = run.registrations.map((r) => ({...r, seconds: r.start / 1000, ms: latency(r)}));
  const timeout = run.parameters.replyTimeoutMs;
  return Plot.plot({
    width,
    height: 260,
    x: {label: "registration started (s) →"},
    marginLeft: 50,
    // Headroom above the timeout, where every failure sits, for the rule's label.
    y: {label: "↑ time to register (ms)", grid: true, domain: [0, 1.15 * timeout], nice: true},
    color: {...designColor, legend: true},
    marks: [
      Plot.ruleY([timeout], {stroke: "var(--workbook-bad)", strokeDasharray: "4 3"}),
      Plot.dot(rows.filter((r) => r.completed), {x: "seconds", y: "ms", fill: "design", r: 2, tip: true, title: (r) => `${r.design}\nuser ${r.id}: ${Math.round(r.ms)} ms`}),
      Plot.dot(rows.filter((r) => !r.completed), {x: "seconds", y: "ms", symbol: "times", stroke: "var(--workbook-bad)", r: 3, tip: true, title: (r) => `${r.design}\nuser ${r.id}: no reply within ${timeout} ms`}),
      Plot.text([timeout], {y: (d: number) => d, frameAnchor: "left", textAnchor: "start", lineAnchor: "bottom", dx: 4, dy: -9, text: () => `reply timeout: ${timeout.toLocaleString("en-US")} ms`, fill: "var(--workbook-bad)", stroke: "var(--theme-background-alt)", strokeWidth: 4}),
      Plot.ruleY([0])
    ]
  });
}

/** Registrations completed and failed per interval, one row per design. */
export function registrationsPlot(run: DisguiseRun, {width = 640}: {width?: number} = {}) {
  const rows = intervals(run).flatMap((i) => [
    {design: i.design, second: i.second, outcome: outcomeColor.domain[0], count: i.completed},
    {design: i.design, second: i.second, outcome: outcomeColor.domain[1], count: i.failed}
  ]);
  return Plot.plot({
    width,
    height: 300,
    x: {label: "registration started (s) →"},
    y: {label: `↑ registrations per ${run.parameters.intervalMs / 1000} s`, grid: true},
    fy: {axis: null, padding: 0.3},
    marginTop: 36,
    color: {...outcomeColor, legend: true},
    marks: [
      Plot.rectY(rows, {x1: "second", x2: (d) => d.second + run.parameters.intervalMs / 1000, y: "count", fill: "outcome", fy: "design", inset: 1, tip: true}),
      // On a narrow screen the message's name alone, so that the label fits.
      Plot.text([...designs], {fy: (d: string) => d, text: (d: string) => (width < 520 ? d.split(" (")[0] : d), frameAnchor: "top-left", lineAnchor: "bottom", dy: -6, fontWeight: "bold"}),
      Plot.ruleY([0])
    ]
  });
}

/**
 * The flow diagram's input for the first registrations: the honest event goes Accounts → topic
 * → mailer; the disguised command also needs mailer-v2's reply to come back before Accounts is
 * done, and a registration whose reply does not come in time ends in a cross where it waited.
 */
export function registrationFlow(run: DisguiseRun, {limit = 24}: {limit?: number} = {}): {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]} {
  const nodes: FlowNode[] = [
    {id: "accounts", label: "accounts service", column: "producer"},
    {id: "events", label: "UserRegistered", column: "broker", note: "event: nobody named"},
    {id: "requests", label: "WelcomeEmailRequested", column: "broker", note: 'names "mailer-v2"'},
    {id: "mailer", label: "email service", column: "consumer"},
    {id: "replies", label: "reply topic", column: "broker", note: "Accounts waits here"}
  ];
  const edges: FlowEdge[] = [
    {from: "accounts", to: "events"},
    {from: "accounts", to: "requests"},
    {from: "events", to: "mailer"},
    {from: "requests", to: "mailer"},
    {from: "mailer", to: "replies"}
  ];
  const published = run.parameters.publishMs;
  const messages: FlowMessage[] = run.registrations
    .filter((r) => r.id < limit)
    .map((r) => {
      const honest = r.design === designs[0];
      const key = honest ? "event" : "disguised command";
      const hops = [{node: "accounts", time: r.start}, {node: honest ? "events" : "requests", time: r.start + published}];
      if (honest && r.emailAt !== null) hops.push({node: "mailer", time: r.emailAt});
      if (!honest && r.completed) hops.push({node: "mailer", time: r.emailAt!}, {node: "replies", time: r.end});
      if (!honest && !r.completed) hops.push({node: "requests", time: r.end});
      return {id: `${key}-${r.id}`, key, hops, failed: !honest && !r.completed};
    });
  return {nodes, edges, messages};
}
