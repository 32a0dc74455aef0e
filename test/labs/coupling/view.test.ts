// The rows 11.1's page draws (view.ts), and the worker's run (ui/lab-worker.ts runView): the same
// metrics as the claims measure, and rows that still say what the full run says.
import {describe, expect, it} from "vitest";
import {readFileSync} from "node:fs";
import {experiments, runBreakService, type BreakServiceParameters} from "../../../src/components/labs/coupling/index.js";
import {failuresPerSecond, latencyCurve, summarize} from "../../../src/components/labs/coupling/view.js";
import {runView} from "../../../src/components/ui/lab-worker.js";
import {measure, type Parameters} from "../../../src/components/claims/claim.js";

const lab = JSON.parse(readFileSync("data/scenarios/event-driven-vs-request-driven.json", "utf8"));
const defaults: BreakServiceParameters = lab.experiments.breakService.parameters;

describe("11.1's view", () => {
  it("the latency curve keeps at most 400 steps per design, ends at 100% and at the slowest order", async () => {
    const run = await runBreakService({...defaults, arrivalsPerSecond: 200});
    for (const design of [run.request, run.event]) {
      const rows = latencyCurve([design]);
      expect(design.requests.length).toBeGreaterThan(4000);
      expect(rows.length).toBeLessThanOrEqual(400);
      expect(rows.at(-1)).toEqual({model: design.model, latency: Math.max(1, ...design.requests.map((r) => r.latency)), share: 1});
      expect(rows.every((r, i) => i === 0 || (r.share > rows[i - 1].share && r.latency >= rows[i - 1].latency))).toBe(true);
    }
  });

  it("failures per second count every second, zeros included, and add up to the run's failures", async () => {
    const run = await runBreakService({...defaults, mode: "down"});
    const rows = failuresPerSecond([run.request]);
    expect(summarize(run.request).failed).toBeGreaterThan(0);
    expect(rows.map((r) => r.second)).toEqual(rows.map((_, i) => i));
    expect(rows.some((r) => r.failed === 0)).toBe(true);
    expect(rows.reduce((sum, r) => sum + r.failed, 0)).toBe(summarize(run.request).failed);
  });

  it("a worker's run carries the metrics the claims measure on the full run", async () => {
    const parameters = {...defaults, mode: "down" as const};
    const viewed = await runView(experiments.breakService, parameters as unknown as Parameters);
    expect(viewed.observed).toEqual(measure(experiments.breakService, await runBreakService(parameters)));
    expect(viewed.view.summaries.map((s) => s.model)).toEqual(["request-driven", "event-driven"]);
  });
});
