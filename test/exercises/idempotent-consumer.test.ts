import {describe, expect, it} from "vitest";
import {grade} from "../../src/components/exercises/grade.js";
import {idempotentConsumer, type StartConsumer} from "../../src/components/exercises/idempotent-consumer.js";
import {cellValue} from "./grading.js";
import {SOLUTIONS} from "./solutions.js";

const model = idempotentConsumer();

const wrong: Record<string, {solution: StartConsumer; says: RegExp}> = {
  "no dedupe: a redelivery after a crash charges again": {
    solution: (db) => async (order) => {
      await db.charge(order.orderId, order.amount);
    },
    says: /charged twice: .*delivered again/
  },
  "dedupe by offset: a producer retry's second copy has another offset": {
    solution: (db) => async (order, record) => {
      await db.transaction(async (tx) => {
        const key = `seen:${record.partition}/${record.offset}`;
        if (await tx.get(key)) return;
        await tx.put(key, true);
        await tx.charge(order.orderId, order.amount);
      });
    },
    says: /charged twice: .*retry wrote the order again/
  },
  "check, charge, then mark, outside a transaction: a crash in between charges twice": {
    solution: (db) => async (order) => {
      if (await db.get(order.orderId)) return;
      await db.charge(order.orderId, order.amount);
      await db.put(order.orderId, "charged");
    },
    says: /charged twice/
  },
  "a dedupe set in memory: a restarted process forgets it": {
    solution: (db) => {
      const seen = new Set<string>();
      return async (order) => {
        if (seen.has(order.orderId)) return;
        seen.add(order.orderId);
        await db.charge(order.orderId, order.amount);
      };
    },
    says: /charged twice/
  },
  "mark before charging, outside a transaction: a crash in between never charges": {
    solution: (db) => async (order) => {
      if (await db.get(order.orderId)) return;
      await db.put(order.orderId, "charged");
      await db.charge(order.orderId, order.amount);
    },
    says: /never charged/
  }
};

describe("idempotent-consumer (11.4)", () => {
  it("passes the reference solution on 200 seeds with faults injected", async () => {
    const report = await grade(model, await cellValue(SOLUTIONS["idempotent-billing"]), {seeds: 200});
    expect(report).toMatchObject({status: "passed", seeds: 200});
  });

  for (const [name, {solution, says}] of Object.entries(wrong)) {
    it(`catches a wrong solution (${name}) with a seed that replays it`, async () => {
      const report = await grade(model, solution, {seeds: 200});
      expect(report.status).toBe("failed");
      if (report.status !== "failed") return;
      expect(report.problem).toMatch(says);
      const again = await grade(model, solution, {replay: {seed: report.seed, faults: report.faults}});
      expect(again).toMatchObject({status: "failed", seed: report.seed, problem: report.problem, log: {kind: "log-view", topic: "orders"}});
      expect(again.status === "failed" && again.log!.events.some((e) => e.kind === "kafka.append")).toBe(true);
      expect(JSON.stringify(again).length).toBeLessThan(500_000); // well under what the sandbox lets through
      expect(report).not.toHaveProperty("log"); // only a replay carries the trace
    });
  }

  it("says what is wrong with a value that is not a function, and with a handler that is not one", async () => {
    expect(await grade(model, 3)).toEqual({status: "invalid", problem: expect.stringMatching(/startConsumer function.*a number/)});
    const report = await grade(model, () => 42);
    expect(report).toMatchObject({status: "failed", problem: expect.stringMatching(/never charged/), moments: expect.arrayContaining([expect.objectContaining({text: expect.stringMatching(/must return the handler/)})])});
  });
});
