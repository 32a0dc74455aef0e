// Charts for the request-driven vs event-driven experiment (11.1), from runs of
// model.ts, and the adapter that turns an event-driven run into the flow diagram's input.
import * as Plot from "@observablehq/plot";
import type {CouplingRun, Fault} from "./model.js";
import type {FlowEdge, FlowMessage, FlowNode} from "../../ui/flow.js";

const modelColor = {domain: ["request-driven", "event-driven"], range: ["var(--workbook-warn)", "var(--workbook-accent)"]};

/** Response time seen by the customer, per model: the share of orders answered within x ms (log scale). */
export function latencyPlot(runs: CouplingRun[], {width = 640}: {width?: number} = {}) {
  const rows = runs.flatMap((run) => {
    const sorted = run.requests.map((r) => Math.max(1, r.latency)).sort((a, b) => a - b);
    return sorted.map((latency, i) => ({model: run.model, latency, share: (i + 1) / sorted.length}));
  });
  return Plot.plot({
    width,
    height: 240,
    x: {type: "log", label: "response time (ms, log scale) →"},
    y: {label: "↑ orders answered within (%)", percent: true, domain: [0, 100], grid: true},
    color: {...modelColor, legend: true},
    marks: [Plot.line(rows, {x: "latency", y: "share", stroke: "model", strokeWidth: 2, curve: "step-after", tip: true}), Plot.ruleY([0])]
  });
}

/**
 * Failed requests in each second of each run, every second from 0 to the last answer included:
 * a second in which nothing failed (or nothing ended at all) is a zero, not a gap for the line to bridge.
 */
export function failuresPerSecond(runs: CouplingRun[]): {model: string; second: number; failed: number}[] {
  return runs.flatMap((run) => {
    const counts = new Array(Math.floor(Math.max(0, ...run.requests.map((r) => r.end)) / 1000) + 1).fill(0);
    for (const r of run.requests) if (!r.ok) counts[Math.floor(r.end / 1000)]++;
    return counts.map((failed, second) => ({model: run.model, second, failed}));
  });
}

/** Failed customer requests per second, per model, with the fault window shaded. */
export function errorsPlot(runs: CouplingRun[], {width = 640, fault}: {width?: number; fault?: Fault | null} = {}) {
  const rows = failuresPerSecond(runs);
  return Plot.plot({
    width,
    height: 220,
    x: {label: "time (s) →"},
    y: {label: "↑ failed requests per second", grid: true},
    color: {...modelColor, legend: true},
    marks: [
      faultBand(fault),
      Plot.lineY(rows, {x: "second", y: "failed", stroke: "model", strokeWidth: 2, curve: "step-after", tip: true}),
      Plot.ruleY([0])
    ]
  });
}

/** Work waiting per service over time: threads queued in the chain, events in the log behind the broker. */
export function backlogPlot(runs: CouplingRun[], {width = 640, fault}: {width?: number; fault?: Fault | null} = {}) {
  const rows = runs.flatMap((run) => run.backlog.map((b) => ({...b, model: run.model, seconds: b.time / 1000})));
  return Plot.plot({
    width,
    height: 240,
    x: {label: "time (s) →"},
    y: {label: "↑ waiting", grid: true},
    marginRight: 110,
    fy: {label: null},
    color: {legend: true},
    marks: [
      faultBand(fault),
      Plot.lineY(rows, {x: "seconds", y: "depth", stroke: "service", fy: "model", strokeWidth: 1.5, tip: true}),
      Plot.ruleY([0])
    ]
  });
}

/** The fault window, shaded, on a time axis in seconds (nothing when the service stays healthy). */
function faultBand(fault: Fault | null | undefined) {
  if (!fault || fault.mode === "healthy") return null;
  return Plot.rectX([fault], {x1: (f: Fault) => f.from / 1000, x2: (f: Fault) => f.to / 1000, fill: "var(--workbook-bad)", fillOpacity: 0.08});
}

export interface RunSummary {
  model: string;
  requests: number;
  failed: number;
  "p50 ms": number;
  "p99 ms": number;
  "max event delay ms": number | null;
}

export function summarize(run: CouplingRun): RunSummary {
  const sorted = run.requests.map((r) => r.latency).sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? Math.round(sorted[Math.floor(p * (sorted.length - 1))]) : 0);
  return {
    model: run.model,
    requests: run.requests.length,
    failed: run.requests.filter((r) => !r.ok).length,
    "p50 ms": q(0.5),
    "p99 ms": q(0.99),
    "max event delay ms": run.deliveries.length ? Math.round(Math.max(...run.deliveries.map((d) => d.delay))) : null
  };
}

/** The flow diagram's input for an event-driven run: order service → topic → each consumer. */
export function eventDrivenFlow(run: CouplingRun, {topic = "orders"}: {topic?: string} = {}): {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]} {
  const services = [...new Set(run.deliveries.map((d) => d.service))];
  const nodes: FlowNode[] = [
    {id: "order", label: "order service", column: "producer"},
    {id: "topic", label: `topic "${topic}"`, column: "broker", note: `${run.requests.length} events retained`},
    ...services.map((s) => ({id: s, label: s, column: "consumer" as const}))
  ];
  const edges: FlowEdge[] = [{from: "order", to: "topic"}, ...services.map((s) => ({from: "topic", to: s}))];
  const start = new Map(run.requests.map((r) => [r.id, r]));
  const messages: FlowMessage[] = run.deliveries.map((d) => ({
    id: `${d.id}/${d.service}`,
    key: `order-${1040 + (d.id % 6)}`,
    hops: [
      {node: "order", time: start.get(d.id)!.start},
      {node: "topic", time: d.published},
      {node: d.service, time: d.processed}
    ]
  }));
  return {nodes, edges, messages};
}
