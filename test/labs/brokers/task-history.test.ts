// The queue workloads' histories: the checker's duplicated tickets are exactly the tickets the
// broker delivered more than once (deliveries) and the ones two agents started (handlings), each
// duplicate caused by the agent's crash, and a run without a crash gets no verdict.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {runWorkQueueExperiment, type WorkQueueParameters} from "../../../src/components/labs/brokers/index.js";
import {checkTasks, taskHistory} from "../../../src/components/labs/brokers/task-history.js";

const queue: WorkQueueParameters = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8")).experiments.workQueue.parameters;

describe("taskHistory", () => {
  it("finds every ticket delivered twice, and every one handled twice, each caused by the crash", async () => {
    const run = await runWorkQueueExperiment({...queue, crash: true, prefetch: 10});
    const tickets = (deliveries: typeof run.deliveries) => new Set(deliveries.map((d) => d.task));
    const redelivered = tickets(run.deliveries.filter((d) => d.redelivered));
    const handledTwice = tickets(run.deliveries.filter((d) => d.duplicate));
    expect(redelivered.size).toBeGreaterThan(handledTwice.size);
    expect(run.verdicts.delivered.duplicated.map((d) => d.message).sort()).toEqual([...redelivered].map((t) => `ticket-${t}#0`).sort());
    expect(run.verdicts.handled.duplicated.map((d) => d.message).sort()).toEqual([...handledTwice].map((t) => `ticket-${t}#0`).sort());
    for (const d of run.verdicts.delivered.duplicated) expect(d.causes.map((c) => c.kind)).toEqual(["crash"]);
    expect(run.verdicts.delivered.lost).toEqual([]);
  });

  it("gives a run without a crash no verdict", async () => {
    const run = await runWorkQueueExperiment({...queue, crash: false});
    expect(run.deliveries.length).toBeGreaterThan(0);
    expect(run.verdicts.delivered.valid && run.verdicts.handled.valid).toBe(true);
  });

  it("numbers a key's jobs in order, so a job handled before its key's earlier one is reordered", () => {
    const d = (task: number, time: number) => ({publishedAt: 0, time, worker: "w", task, redelivered: false, startedAt: time, ackedAt: time + 1, duplicate: false});
    const {handled} = checkTasks([d(0, 1), d(4, 2), d(2, 3)], {keys: 2});
    expect(handled.reordered.map((r) => [r.after.message, r.record.message])).toEqual([["customer-0#2", "customer-0#1"]]);
    expect(taskHistory([])).toEqual([]);
  });
});
