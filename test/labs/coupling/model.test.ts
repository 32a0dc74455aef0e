import {describe, expect, it} from "vitest";
import {readFileSync} from "node:fs";
import {createHash} from "node:crypto";
import {runEventDriven, runRequestDriven, type CouplingOptions} from "../../../src/components/labs/coupling/model.js";
import {experiments, runBreakService} from "../../../src/components/labs/coupling/index.js";
import {measure} from "../../../src/components/claims/claim.js";

const down: CouplingOptions = {durationMs: 30_000, fault: {service: "inventory", mode: "down", from: 10_000, to: 20_000}};
const slow: CouplingOptions = {durationMs: 30_000, fault: {service: "inventory", mode: "slow", from: 10_000, to: 20_000}};
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(0.99 * (xs.length - 1))];

describe("coupling models", () => {
  it("are deterministic for a seed", async () => {
    const a = await runRequestDriven({...slow, seed: 3});
    const b = await runRequestDriven({...slow, seed: 3});
    expect(a.requests).toEqual(b.requests);
    expect(a.sim.trace.events).toEqual(b.sim.trace.events);
  });

  it("without a trace, a run records nothing and gives the same results", async () => {
    for (const run of [runRequestDriven, runEventDriven]) {
      const traced = await run(slow);
      const untraced = await run({...slow, trace: false});
      expect(traced.sim.trace.length).toBeGreaterThan(0);
      expect(untraced.sim.trace.length).toBe(0);
      expect(untraced.requests).toEqual(traced.requests);
      expect(untraced.deliveries).toEqual(traced.deliveries);
    }
  });

  it("both designs face the same orders for a seed", async () => {
    const sync = await runRequestDriven(slow);
    const events = await runEventDriven(slow);
    expect(sync.requests.map((r) => r.start)).toEqual(events.requests.map((r) => r.start));
  });

  it("a down service fails requests in the call chain, and only there", async () => {
    const sync = await runRequestDriven(down);
    const events = await runEventDriven(down);
    const failed = sync.requests.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((r) => r.failedAt))).toEqual(new Set(["inventory"]));
    expect(events.requests.every((r) => r.ok)).toBe(true);
  });

  it("in the event-driven run, nothing is lost: every service processes every event once the fault is over", async () => {
    const run = await runEventDriven(down);
    for (const service of ["payment", "inventory", "notification"]) {
      const ids = run.deliveries.filter((d) => d.service === service).map((d) => d.id).sort((a, b) => a - b);
      expect(ids).toEqual(run.requests.map((r) => r.id));
    }
    const late = run.deliveries.filter((d) => d.service === "inventory" && d.published >= 10_000 && d.published < 20_000);
    expect(Math.min(...late.map((d) => d.processed))).toBeGreaterThanOrEqual(20_000);
  });

  it("a slow dependency raises the caller's latency in the chain but not behind the broker", async () => {
    const healthy = await runRequestDriven({durationMs: 30_000});
    const sync = await runRequestDriven(slow);
    const events = await runEventDriven(slow);
    expect(p99(sync.requests.map((r) => r.latency))).toBeGreaterThan(5 * p99(healthy.requests.map((r) => r.latency)));
    expect(p99(events.requests.map((r) => r.latency))).toBeLessThan(100);
  });

  it.each([
    [{arrivalsPerSecond: 0}, /arrivalsPerSecond must be between/],
    [{durationMs: 1e12}, /durationMs must be between/],
    [{fault: {service: "billing", mode: "down" as const, from: 0, to: 1}}, /fault.service must be one of payment, inventory, notification/]
  ])("refuses bad options %#", async (options, message) => {
    await expect(runEventDriven(options)).rejects.toThrow(message);
  });

  // The numbers as the model gave them before it was made faster (a FIFO with a head index,
  // one arrival queued at a time, timers only where they can fire): any change to the model's
  // speed must leave every one of them as it is. 200 orders a second queues thousands of callers.
  it.each([
    [{}, {requestFailed: 46, requestP50Ms: 123, requestP99Ms: 15165, eventP99Ms: 26, maxEventDelayMs: 16193, requestFailedAfterFault: 1, peakFailuresPerSecond: 5, quietSecondsInFault: 4}],
    [{mode: "down", timeoutMs: 500}, {requestFailed: 600, requestP50Ms: 101, requestP99Ms: 5897, eventP99Ms: 26, maxEventDelayMs: 20023, requestFailedAfterFault: 14, peakFailuresPerSecond: 32, quietSecondsInFault: 0}],
    [{arrivalsPerSecond: 200}, {requestFailed: 67, requestP50Ms: 34472, requestP99Ms: 48835, eventP99Ms: 25, maxEventDelayMs: 29388, requestFailedAfterFault: 0, peakFailuresPerSecond: 9, quietSecondsInFault: 4}],
    [{arrivalsPerSecond: 200, mode: "down", timeoutMs: 100}, {requestFailed: 11896, requestP50Ms: 9343, requestP99Ms: 18514, eventP99Ms: 25, maxEventDelayMs: 29388, requestFailedAfterFault: 5906, peakFailuresPerSecond: 157, quietSecondsInFault: 0}]
  ])("gives the same numbers as before it was made faster %#", async (set, expected) => {
    const defaults = JSON.parse(readFileSync("data/scenarios/event-driven-vs-request-driven.json", "utf8")).experiments.breakService.parameters;
    expect(measure(experiments.breakService, await runBreakService({...defaults, ...set}))).toMatchObject({...expected, eventFailed: 0, eventsLost: 0});
  });

  // Every request, delivery and backlog sample of both designs, as a digest: the cases above pin
  // the summaries, this pins each number behind them, for faults of each kind, short and long
  // timeouts and a queue of thousands of callers (it was taken before the calls' state moved
  // from each call to its order).
  it("gives every request, delivery and backlog sample as before it was made faster", async () => {
    const hash = createHash("sha256");
    let runs = 0;
    for (const mode of ["healthy", "slow", "down"] as const) {
      for (const [arrivalsPerSecond, timeoutMs] of [[40, 2000], [200, 100], [200, 10_000]]) {
        const options: CouplingOptions = {durationMs: 20_000, arrivalsPerSecond, timeoutMs, fault: {service: "payment", mode, from: 5_000, to: 12_000}, trace: false};
        for (const run of [await runRequestDriven(options), await runEventDriven(options)]) {
          hash.update(JSON.stringify([run.requests, run.deliveries, run.backlog]));
          runs += run.requests.length > 0 ? 1 : 0;
        }
      }
    }
    expect(runs).toBe(18);
    expect(hash.digest("hex")).toBe("ad3ef4c25b7a46ec0094bd20313eac3dd200aa47c71beea1d8c67674383beea5");
  });

  it("reuses the event-driven run while only the call timeout changes, and reruns it otherwise", async () => {
    const defaults = JSON.parse(readFileSync("data/scenarios/event-driven-vs-request-driven.json", "utf8")).experiments.breakService.parameters;
    const first = await runBreakService({...defaults, durationMs: 10_000});
    const longer = await runBreakService({...defaults, durationMs: 10_000, timeoutMs: 5_000});
    expect(longer.event).toBe(first.event);
    expect(longer.request).not.toBe(first.request);
    const fresh = await runEventDriven({durationMs: 10_000, fault: {service: defaults.service, mode: defaults.mode, from: defaults.faultFromMs, to: defaults.faultToMs, slowFactor: defaults.slowFactor}, front: defaults.front, services: defaults.services, seed: defaults.seed});
    expect(longer.event.requests).toEqual(fresh.requests);
    expect(longer.event.deliveries).toEqual(fresh.deliveries);
    const faster = await runBreakService({...defaults, durationMs: 10_000, timeoutMs: 5_000, arrivalsPerSecond: 41});
    expect(faster.event).not.toBe(first.event);
    expect(faster.event.requests.length).not.toBe(first.event.requests.length);
  });
});
