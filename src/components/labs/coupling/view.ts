// What 11.1's page draws, derived from runs of model.ts: small rows that a worker can send to
// the page quickly (a run holds thousands of requests; these hold a few hundred rows).
import type {CouplingRun} from "./model.js";
import type {FlowEdge, FlowMessage, FlowNode} from "../../ui/flow.js";

type Model = CouplingRun["model"];

export interface LatencyPoint {
  model: Model;
  /** Response time in ms (at least 1, for the log scale). */
  latency: number;
  /** Share of orders answered within `latency`. */
  share: number;
}

/** The share of orders answered within x ms, per model, at most `points` steps per model. */
export function latencyCurve(runs: CouplingRun[], {points = 400}: {points?: number} = {}): LatencyPoint[] {
  return runs.flatMap((run) => {
    const sorted = sortedLatencies(run);
    const step = Math.max(1, Math.ceil(sorted.length / points));
    const rows: LatencyPoint[] = [];
    for (let i = step - 1; i < sorted.length + step - 1; i += step) {
      const at = Math.min(i, sorted.length - 1);
      rows.push({model: run.model, latency: Math.max(1, sorted[at]), share: (at + 1) / sorted.length});
    }
    return rows;
  });
}

/** Every order's response time, ascending (a typed array sorts numbers natively, without a comparator). */
export function sortedLatencies(run: CouplingRun): Float64Array {
  const latencies = new Float64Array(run.requests.length);
  run.requests.forEach((r, i) => (latencies[i] = r.latency));
  return latencies.sort();
}

export interface FailureCount {
  model: Model;
  second: number;
  failed: number;
}

/**
 * Failed requests in each second of each run, every second from 0 to the last answer included:
 * a second in which nothing failed (or nothing ended at all) is a zero, not a gap for the line to bridge.
 */
export function failuresPerSecond(runs: CouplingRun[]): FailureCount[] {
  return runs.flatMap((run) => {
    const counts = new Array(Math.floor(maxOf(run.requests, (r) => r.end) / 1000) + 1).fill(0);
    for (const r of run.requests) if (!r.ok) counts[Math.floor(r.end / 1000)]++;
    return counts.map((failed, second) => ({model: run.model, second, failed}));
  });
}

/** The largest value, or 0 for no rows (a loop: spreading thousands of arguments into Math.max is slow). */
function maxOf<T>(rows: T[], value: (row: T) => number): number {
  let max = 0;
  for (const row of rows) max = Math.max(max, value(row));
  return max;
}

export interface BacklogPoint {
  model: Model;
  service: string;
  seconds: number;
  depth: number;
}

/** Work waiting per service and second, per model. */
export function backlogRows(runs: CouplingRun[]): BacklogPoint[] {
  return runs.flatMap((run) => run.backlog.map((b) => ({model: run.model, service: b.service, seconds: b.time / 1000, depth: b.depth})));
}

export interface RunSummary {
  model: string;
  requests: number;
  failed: number;
  "p50 ms": number;
  "p99 ms": number;
  "max event delay ms": number | null;
}

export function summarize(run: CouplingRun, sorted = sortedLatencies(run)): RunSummary {
  const q = (p: number) => (sorted.length ? Math.round(sorted[Math.floor(p * (sorted.length - 1))]) : 0);
  return {
    model: run.model,
    requests: run.requests.length,
    failed: run.requests.reduce((n, r) => n + (r.ok ? 0 : 1), 0),
    "p50 ms": q(0.5),
    "p99 ms": q(0.99),
    "max event delay ms": run.deliveries.length ? Math.round(maxOf(run.deliveries, (d) => d.delay)) : null
  };
}

export interface Flow {
  nodes: FlowNode[];
  edges: FlowEdge[];
  messages: FlowMessage[];
}

/** The flow diagram's input for an event-driven run: order service → topic → each consumer. */
export function eventDrivenFlow(run: CouplingRun, {topic = "orders"}: {topic?: string} = {}): Flow {
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
