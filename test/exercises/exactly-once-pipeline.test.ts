import {describe, expect, it} from "vitest";
import {exactlyOncePipeline, type ScorePayment} from "../../src/components/exercises/exactly-once-pipeline.js";
import {grade} from "../../src/components/exercises/grade.js";
import {cellValue} from "./grading.js";
import {SOLUTIONS} from "./solutions.js";

const model = exactlyOncePipeline();
const next = (record: {partition: number; offset: number}) => [{topic: "payments", partition: record.partition, offset: record.offset + 1}];

const wrong: Record<string, {solution: ScorePayment; says: RegExp}> = {
  "no transaction: send, then commit the offset": {
    solution: async (record, {producer, consumer, riskOf}) => {
      producer.beginTransaction();
      await producer.send({topic: "fraud-scores", key: record.key, value: riskOf(record.value as never)});
      await producer.commitTransaction();
      consumer.commit(next(record));
    },
    says: /scored twice: .*crashed/
  },
  "offset committed first, then the transaction": {
    solution: async (record, {producer, consumer, riskOf}) => {
      consumer.commit(next(record));
      producer.beginTransaction();
      await producer.send({topic: "fraud-scores", key: record.key, value: riskOf(record.value as never)});
      await producer.commitTransaction();
    },
    says: /was never scored: .*committed by the consumer.*crashed/
  }
};

describe("exactly-once-pipeline (11.4)", () => {
  it("passes the reference solution on 200 seeds with crashes", async () => {
    expect(await grade(model, await cellValue(SOLUTIONS["exactly-once-scoring"]), {seeds: 200})).toMatchObject({status: "passed", seeds: 200});
  });

  for (const [name, {solution, says}] of Object.entries(wrong)) {
    it(`catches a wrong solution (${name}) with a seed that replays it`, async () => {
      const report = await grade(model, solution, {seeds: 200});
      expect(report.status).toBe("failed");
      if (report.status !== "failed") return;
      expect(report.problem).toMatch(says);
      expect(report.faults.map((f) => f.kind)).toEqual(["crash"]);
      const again = await grade(model, solution, {replay: {seed: report.seed, faults: report.faults}});
      expect(again).toMatchObject({status: "failed", seed: report.seed, problem: report.problem});
    });
  }
});
