// 11.3's summary tables (tables.ts): built with arquero from the run's tables, in their own worker.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {runView, type ViewedExperiment} from "../../../src/components/ui/lab-worker.js";
import {GROUPS, runKafkaLog, type KafkaLogParameters} from "../../../src/components/labs/brokers/index.js";
import {groupReads, kafkaLogTables} from "../../../src/components/labs/brokers/tables.js";

const kafka: KafkaLogParameters = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8")).experiments.kafkaLog.parameters;

describe("groupReads", () => {
  it("one row per group: every group reads every record of every partition, the late group first at its join", async () => {
    const run = await runKafkaLog(kafka);
    const rows = groupReads(run.cluster.sim);
    expect(rows.map((r) => r.group).sort()).toEqual([...GROUPS].sort());
    for (const r of rows) expect(r).toMatchObject({"records read": kafka.records, partitions: kafka.partitions, "read again": 0});
    expect(rows.at(-1)).toMatchObject({group: "fraud-detection"});
    expect(rows.at(-1)!["first read (s)"]).toBeGreaterThanOrEqual(kafka.fraudDetectionJoinsAtMs / 1000);
    // The counts agree with the run's own tally of each group's handler calls.
    expect(Object.fromEntries(rows.map((r) => [r.group, r["records read"]]))).toEqual(run.consumedByGroup);
  });

  it("crosses the tables worker's message as plain rows", async () => {
    const shown = await runView(kafkaLogTables as unknown as ViewedExperiment, {...kafka});
    expect(structuredClone(shown)).toEqual(shown);
    expect((shown.view as {groupReads: unknown[]}).groupReads.length).toBe(GROUPS.length);
  });
});
