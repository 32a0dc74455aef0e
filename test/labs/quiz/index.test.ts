// The quiz lab: one experiment per proof, whose metrics are the proof's named numbers; the run is
// the proof's, seed for seed, so the claims quote the table the reader sees.
import {describe, expect, it} from "vitest";
import {measure} from "../../../src/components/claims/claim.js";
import {experiments, PROOF_IDS, proofById} from "../../../src/components/labs/quiz/index.js";

describe("the quiz lab", () => {
  it("has one experiment per proof", () => {
    expect(PROOF_IDS.length).toBeGreaterThan(0);
    expect(Object.keys(experiments)).toEqual([...PROOF_IDS]);
  });

  it.each(PROOF_IDS)("%s: every metric is a number or a boolean of the proof's run, and the run is the proof's", async (id) => {
    const result = await experiments[id].run({seed: 5});
    expect(result).toEqual(await proofById(id)!.run({seed: 5}));
    const observed = measure(experiments[id], result);
    expect(Object.keys(observed).length).toBeGreaterThan(1);
    for (const value of Object.values(observed)) expect(["number", "boolean"]).toContain(typeof value);
    expect(Object.keys(result.facts).sort()).toEqual(Object.keys(observed).filter((k) => k !== "holds").sort());
  });

  it("a different seed gives a different run where the proof draws random numbers", async () => {
    const a = await experiments["work-queue"].run({seed: 7});
    const b = await experiments["work-queue"].run({seed: 8});
    expect(a.rows).not.toEqual(b.rows);
  });
});
