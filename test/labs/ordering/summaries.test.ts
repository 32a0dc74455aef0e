// 11.4's summary tables are arquero queries on the runs' tables (summaries.ts): they must say
// what the hand-counted runs and the history checker say, for any settings, and the views the
// worker sends must carry them without the run's history.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {runKeyless, runTransactions} from "../../../src/components/labs/ordering/runs.js";
import {summarizeBatches, summarizeIsolation} from "../../../src/components/labs/ordering/summaries.js";
import {experiments} from "../../../src/components/labs/ordering/index.js";
import {runView, type ViewedExperiment} from "../../../src/components/ui/lab-worker.js";

const defaults = JSON.parse(readFileSync("data/scenarios/ordering-and-idempotency.json", "utf8")).experiments;

describe("summarizeBatches", () => {
  it("counts each partitioner's batches and partitions as the run's batch rows do", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 1, max: 12}), fc.constantFrom(16, 100, 400, 16384), fc.integer({min: 1, max: 40}), fc.integer({min: 0, max: 500}), async (partitions, batchSize, lingerMs, seed) => {
        const run = await runKeyless({...defaults.keyless.parameters, partitions, batchSize, lingerMs, seed});
        const summary = summarizeBatches(run);
        expect(summary.map((s) => s.partitioner)).toEqual(["sticky (Kafka ≥ 2.4)", "round-robin (before 2.4)"]);
        for (const s of summary) {
          const mine = run.batches.filter((b) => b.strategy === s.partitioner);
          expect(mine.length).toBeGreaterThan(0);
          expect(s.batches).toBe(mine.length);
          expect(s["partitions used"]).toBe(new Set(mine.map((b) => b.partition)).size);
          expect(s["records per batch"]).toBe(Math.round((10 * run.records) / mine.length) / 10);
        }
      }),
      {numRuns: 12}
    );
  });
});

describe("summarizeIsolation", () => {
  it("agrees with the checker's verdict on each reader: reads, uncommitted reads by outcome, committed records lost", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 0, max: 300}), fc.constantFrom(0, 0.3, 0.7, 1), fc.boolean(), fc.boolean(), fc.integer({min: 0, max: 60}), async (seed, abortShare, crash, restart, crashAt) => {
        const run = await runTransactions({...defaults.transactions.parameters, seed, abortShare, crash, restart, crashAtMs: 100 * crashAt, transactions: 8});
        for (const row of summarizeIsolation(run)) {
          const {history, verdict} = run.readers()[row.consumer];
          const ended = new Map(history.flatMap((op) => (op.type === "transaction" ? [[op.transaction, op.outcome] as const] : [])));
          const endedAs = (outcome: "abort" | undefined) => verdict.uncommittedReads.filter((u) => ended.get(u.transaction) === outcome).length;
          expect(row).toEqual({consumer: row.consumer, read: verdict.deliveries, aborted: endedAs("abort"), open: endedAs(undefined), "committed missed": verdict.lost.length});
        }
      }),
      {numRuns: 20}
    );
  });
});

describe("the views the lab's worker sends", () => {
  for (const name of ["keyless", "atLeastOnce", "transactions", "retries", "keyOrder"] as const) {
    it(`${name}: plain data without the run's history, the same after a structured clone`, async () => {
      const {view} = await runView(experiments[name] as unknown as ViewedExperiment, defaults[name].parameters);
      expect(structuredClone(view)).toEqual(view);
      expect(Object.keys(view as object)).not.toContain("history");
      expect(Object.keys(view as object)).not.toContain("trace");
    });
  }
});
