import {describe, expect, it} from "vitest";
import {runEventDriven, runRequestDriven, type CouplingOptions} from "../../../src/components/labs/coupling/model.js";

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
});
