// 11.1's experiments, as the claims and the page run them: the same orders through a call chain
// and through a topic while one service misbehaves, and a fraud-detection consumer added to the
// event-driven design. Defaults, presets and claims: data/scenarios/event-driven-vs-request-driven.json.
// Each experiment has a `view`: the small rows its charts draw, which is all the page's worker
// (worker.ts) sends back besides the metrics.
import {experiment} from "../../claims/claim.js";
import {runEventDriven, runRequestDriven, type CouplingOptions, type CouplingRun, type FaultMode, type ServiceSpec} from "./model.js";
import {backlogRows, eventDrivenFlow, failuresPerSecond, latencyCurve, summarize, type FailureCount, type RunSummary} from "./view.js";

export interface BreakServiceParameters {
  seed: number | string;
  service: string;
  mode: FaultMode;
  arrivalsPerSecond: number;
  timeoutMs: number;
  durationMs: number;
  front: ServiceSpec;
  services: ServiceSpec[];
  /** The fault window and how much slower a slow service is. */
  faultFromMs: number;
  faultToMs: number;
  slowFactor: number;
}

export interface BreakServiceRun {
  parameters: BreakServiceParameters;
  request: CouplingRun;
  event: CouplingRun;
  /** Each design's summary and failures per second, computed once: most metrics and the view read them. */
  summaries: {request: RunSummary; event: RunSummary};
  failures: FailureCount[];
}

export async function runBreakService(p: BreakServiceParameters): Promise<BreakServiceRun> {
  const fault = {service: p.service, mode: p.mode, from: p.faultFromMs, to: p.faultToMs, slowFactor: p.slowFactor};
  const options = {seed: p.seed, durationMs: p.durationMs, arrivalsPerSecond: p.arrivalsPerSecond, timeoutMs: p.timeoutMs, front: p.front, services: p.services, fault, trace: false};
  const [request, {run: event, summary}] = await Promise.all([runRequestDriven(options), lastEventDriven(options)]);
  return {parameters: p, request, event, summaries: {request: summarize(request), event: summary}, failures: failuresPerSecond([request, event])};
}

let lastEvent: {key: string; result: Promise<{run: CouplingRun; summary: RunSummary}>} | null = null;

/**
 * The event-driven run and its summary, the last one reused while the options it reads stay the
 * same: that design makes no call, so it never reads the call timeout, and a reader dragging the
 * timeout re-runs the call chain only (the run is deterministic, so the reused one is the run it
 * would compute; nothing mutates a run once returned). A run that failed is not kept.
 */
function lastEventDriven({timeoutMs, ...read}: CouplingOptions): Promise<{run: CouplingRun; summary: RunSummary}> {
  const key = JSON.stringify(read);
  if (lastEvent?.key === key) return lastEvent.result;
  const result = runEventDriven(read).then((run) => ({run, summary: summarize(run)}));
  const kept = (lastEvent = {key, result});
  result.catch(() => lastEvent === kept && (lastEvent = null));
  return result;
}

const failedAfter = (run: CouplingRun, time: number) => run.requests.filter((r) => !r.ok && r.end >= time).length;
const chainFailures = (r: BreakServiceRun) => r.failures.filter((row) => row.model === "request-driven");

export const breakService = experiment({
  run: runBreakService,
  metrics: {
    requestFailed: (r: BreakServiceRun) => r.summaries.request.failed,
    eventFailed: (r: BreakServiceRun) => r.summaries.event.failed,
    requestP50Ms: (r: BreakServiceRun) => r.summaries.request["p50 ms"],
    requestP99Ms: (r: BreakServiceRun) => r.summaries.request["p99 ms"],
    eventP99Ms: (r: BreakServiceRun) => r.summaries.event["p99 ms"],
    maxEventDelayMs: (r: BreakServiceRun) => r.summaries.event["max event delay ms"] ?? 0,
    /** Orders that failed after the service was healthy again: the chain working off its queue. */
    requestFailedAfterFault: (r: BreakServiceRun) => failedAfter(r.request, r.parameters.faultToMs),
    /** The failure chart's highest bar: failed orders in one second. */
    peakFailuresPerSecond: (r: BreakServiceRun) => Math.max(0, ...chainFailures(r).map((row) => row.failed)),
    /** Seconds inside the fault window in which no order failed: the troughs between waves. */
    quietSecondsInFault: (r: BreakServiceRun) => chainFailures(r).filter((row) => row.second * 1000 >= r.parameters.faultFromMs && (row.second + 1) * 1000 <= r.parameters.faultToMs && row.failed === 0).length,
    /** The failure chart's bars added up, to be compared with the table's count. */
    chartedFailures: (r: BreakServiceRun) => chainFailures(r).reduce((sum, row) => sum + row.failed, 0),
    eventsLost: (r: BreakServiceRun) => r.event.requests.length * r.parameters.services.length - r.event.deliveries.length
  },
  view: ({request, event, summaries, failures}: BreakServiceRun) => ({
    latency: latencyCurve([request, event]),
    failures,
    backlog: backlogRows([request, event]),
    summaries: [summaries.request, summaries.event]
  })
});

export interface FraudParameters {
  seed: number | string;
  fraudDetection: boolean;
  durationMs: number;
  arrivalsPerSecond: number;
  services: ServiceSpec[];
  fraud: ServiceSpec;
}

export interface FraudRun {
  parameters: FraudParameters;
  /** The event-driven run as configured. */
  run: CouplingRun;
  /** The same seed without the fraud consumer, to show what the producer side did. */
  without: CouplingRun;
}

export async function runFraud(p: FraudParameters): Promise<FraudRun> {
  const base = {seed: p.seed, durationMs: p.durationMs, arrivalsPerSecond: p.arrivalsPerSecond, trace: false};
  const [run, without] = await Promise.all([
    runEventDriven({...base, services: p.fraudDetection ? [...p.services, p.fraud] : p.services}),
    runEventDriven({...base, services: p.services})
  ]);
  return {parameters: p, run, without};
}

const published = (run: CouplingRun) => [...new Map(run.deliveries.map((d) => [d.id, d.published])).values()];

export const fraud = experiment({
  run: runFraud,
  metrics: {
    consumers: (r: FraudRun) => new Set(r.run.deliveries.map((d) => d.service)).size,
    events: (r: FraudRun) => r.run.requests.length,
    fraudDeliveries: (r: FraudRun) => r.run.deliveries.filter((d) => d.service === r.parameters.fraud.name).length,
    /** Events whose publish time differs from the run without the fraud consumer. */
    producerChanges: (r: FraudRun) => {
      const before = published(r.without), after = published(r.run);
      return Math.abs(before.length - after.length) + before.filter((t, i) => after[i] !== t).length;
    }
  },
  view: (r: FraudRun) => ({flow: eventDrivenFlow(r.run)})
});

export const experiments = {breakService, fraud};
