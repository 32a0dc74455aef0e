// 11.3's three-way comparison: one task workload through a work queue, a consumer group and a share group.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {runTaskComparison, jobsFinished, orderViolations, type TaskComparisonOptions} from "../../../src/components/labs/brokers/share-group.js";

const defaults: TaskComparisonOptions = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8")).experiments.taskComparison.parameters;

describe("the task comparison", () => {
  it("runs the same jobs through all three, and each finishes every job at the defaults", async () => {
    const run = await runTaskComparison(defaults);
    expect(run.outcomes.map((o) => o.broker)).toEqual(["work queue", "consumer group", "share group"]);
    for (const o of run.outcomes) {
      expect(o.deliveries.length).toBeGreaterThanOrEqual(defaults.jobs);
      expect(jobsFinished(o.deliveries)).toBe(defaults.jobs);
    }
    expect(run.partitionOf.every((p) => p >= 0 && p < defaults.partitions)).toBe(true);
  });

  it("a lock shorter than the slow job redelivers it, count by count, up to the delivery count limit", async () => {
    const run = await runTaskComparison({...defaults, recordLockDurationMs: 2000});
    const share = run.outcomes.find((o) => o.broker === "share group")!;
    const counts = share.deliveryCounts.filter((c) => c.task === defaults.slowJob).map((c) => c.deliveryCount);
    expect(counts).toEqual([1, 2, 3, 4, 5]); // the lock (2 s) is shorter than the slow job (3 s)
  });

  it("keeps per-key order in the consumer group only", async () => {
    const run = await runTaskComparison(defaults);
    const [queue, group, share] = run.outcomes.map((o) => orderViolations(o.deliveries, defaults.keys));
    expect(group).toBe(0);
    expect(share).toBeGreaterThan(0);
    expect(queue).toBeGreaterThan(0);
  });

  it("refuses bad parameters with a message naming them", async () => {
    await expect(runTaskComparison({...defaults, slowJob: defaults.jobs})).rejects.toThrow(/slowJob/);
    await expect(runTaskComparison({...defaults, crashingWorker: "nobody"})).rejects.toThrow(/crashingWorker/);
    await expect(runTaskComparison({...defaults, recordLockDurationMs: 0})).rejects.toThrow(/recordLockDurationMs/);
  });
});
