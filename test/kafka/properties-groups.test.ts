// fast-check property of the group coordinator (1,000 runs): whatever members join, leave or crash,
// every completed rebalance leaves each partition with exactly one owner.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {ASSIGNORS, type AssignorName, type Consumer} from "../../src/components/kafka/index.js";
import {setup} from "./helpers.js";

describe("group properties", () => {
  it("after every completed rebalance each partition has exactly one owner in the group", async () => {
    const churn = fc.record({
      seed: fc.integer({min: 0, max: 1e6}),
      partitions: fc.integer({min: 1, max: 6}),
      assignor: fc.constantFrom<AssignorName>(...ASSIGNORS),
      steps: fc.array(fc.record({at: fc.integer({min: 0, max: 300}), action: fc.constantFrom("join", "leave", "crash")}), {minLength: 1, maxLength: 8})
    });
    await fc.assert(
      fc.asyncProperty(churn, async (s) => {
        const {sim, cluster} = setup({partitions: s.partitions}, {seed: s.seed});
        const members: Consumer[] = [];
        const join = () => {
          const c = cluster.consumer({groupId: "g", assignor: s.assignor, sessionTimeoutMs: 50});
          c.subscribe("orders");
          members.push(c);
        };
        join();
        for (const step of s.steps) {
          sim.schedule(step.at, () => {
            const alive = members.filter((m) => m.state !== "crashed" && m.state !== "closed");
            if (step.action === "join" || alive.length === 0) join();
            else if (step.action === "leave") alive[0].close();
            else alive[alive.length - 1].crash();
          });
        }
        // A member that stays: the run ends with a completed rebalance, whatever the steps did.
        sim.schedule(400, join);
        await sim.runUntilIdle();
        const syncs = sim.trace.filter("kafka.group.sync");
        expect(syncs.length).toBeGreaterThan(0);
        for (const e of syncs) {
          const owned = Object.values(e.assignment as Record<string, string[]>).flat();
          expect(new Set(owned).size).toBe(owned.length); // never two owners, even mid-way (cooperative)
          if (!e.followUp) expect(owned.sort()).toEqual(Array.from({length: s.partitions}, (_, p) => `orders-${p}`).sort());
        }
      }),
      {numRuns: 1000}
    );
  });
});
