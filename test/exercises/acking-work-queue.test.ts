import {describe, expect, it} from "vitest";
import {ackingWorkQueue, type StartAgent} from "../../src/components/exercises/acking-work-queue.js";
import {grade} from "../../src/components/exercises/grade.js";
import {cellValue} from "./grading.js";
import {SOLUTIONS} from "./solutions.js";

const model = ackingWorkQueue();

const wrong: Record<string, {solution: StartAgent; says: RegExp}> = {
  "noAck: a crash loses what the agent held": {
    solution: async (channel, handleTicket) => {
      await channel.prefetch(5);
      await channel.consume("tickets", (msg) => void (msg && handleTicket(msg).catch(() => {})), {noAck: true});
    },
    says: /with noAck.*RabbitMQ had already deleted it/
  },
  "ack before the work: a crash mid-ticket loses it": {
    solution: async (channel, handleTicket) => {
      await channel.prefetch(5);
      await channel.consume("tickets", async (msg) => {
        if (!msg) return;
        channel.ack(msg);
        await handleTicket(msg).catch(() => {});
      });
    },
    says: /acknowledged it at .* RabbitMQ had already deleted it/
  },
  "ack in finally: a failed ticket is acked anyway": {
    solution: async (channel, handleTicket) => {
      await channel.prefetch(5);
      await channel.consume("tickets", async (msg) => {
        if (!msg) return;
        try {
          await handleTicket(msg);
        } catch {
          // logged and forgotten
        } finally {
          channel.ack(msg);
        }
      });
    },
    says: /work on it failed.*acknowledged it/
  },
  "no settle after a failure: the ticket stays unacked": {
    solution: async (channel, handleTicket) => {
      await channel.prefetch(5);
      await channel.consume("tickets", async (msg) => {
        if (!msg) return;
        await handleTicket(msg);
        channel.ack(msg);
      });
    },
    says: /still unacknowledged with agent-/
  }
};

describe("acking-work-queue (11.3)", () => {
  it("passes the reference solution on 200 seeds with faults injected", async () => {
    const report = await grade(model, await cellValue(SOLUTIONS["work-queue-acks"]), {seeds: 200});
    expect(report).toMatchObject({status: "passed", seeds: 200});
    expect(report.status === "passed" && report.faults).toBeGreaterThan(200);
  });

  for (const [name, {solution, says}] of Object.entries(wrong)) {
    it(`catches a wrong solution (${name}) with a seed that replays it`, async () => {
      const report = await grade(model, solution, {seeds: 200});
      expect(report.status).toBe("failed");
      if (report.status !== "failed") return;
      expect(report.problem).toMatch(says);
      expect(report.faults.length).toBeGreaterThan(0);
      expect(report.moments.length).toBeGreaterThan(0);
      const again = await grade(model, solution, {replay: {seed: report.seed, faults: report.faults}});
      expect(again).toMatchObject({status: "failed", seed: report.seed, problem: report.problem});
    });
  }

  it("says what is wrong with a value that is not a function", async () => {
    expect(await grade(model, {prefetch: 5})).toEqual({status: "invalid", problem: expect.stringMatching(/must end with your startAgent function.*an object \(keys: prefetch\)/)});
    expect(await grade(model, undefined)).toMatchObject({status: "invalid"});
  });

  it("stops a solution that keeps the broker busy forever (reject and requeue every ticket) with a clear problem, quickly", async () => {
    const started = performance.now();
    const report = await grade(model, (async (channel) => {
      await channel.consume("tickets", (msg) => msg && channel.nack(msg, false, true));
    }) satisfies StartAgent, {seeds: 5});
    expect(report).toMatchObject({status: "failed", seedsTried: 1, problem: expect.stringMatching(/^agent-. rejected tickets with requeue 1,000 times at 0\.\d\d s without handling them: .* loops forever/)});
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("fails a startAgent that throws, and names the error", async () => {
    const report = await grade(model, () => {
      throw new Error("no channel for me");
    });
    expect(report).toMatchObject({status: "failed", moments: expect.arrayContaining([expect.objectContaining({text: expect.stringContaining("no channel for me")})])});
  });
});
