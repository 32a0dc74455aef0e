import fc from "fast-check";
import {describe, expect, it} from "vitest";
import type {ExerciseModel, Fault} from "../../src/components/exercises/exercise.js";
import {faultsFor, grade, seedsFrom} from "../../src/components/exercises/grade.js";

/** A toy: the run fails when the schedule holds a fault of kind `needed` (and, if set, one of `alsoNeeded`). */
function toy({needed, alsoNeeded, kinds, most}: {needed: string; alsoNeeded?: string; kinds: string[]; most: number}): ExerciseModel<{careful: boolean}> {
  return {
    solution(value) {
      if (typeof value !== "object" || value === null || typeof (value as {careful?: unknown}).careful !== "boolean") throw new TypeError("the solution must be {careful: boolean}");
      return value as {careful: boolean};
    },
    faults: (random) => Array.from({length: random.int(most + 1)}, () => ({kind: random.pick(kinds), at: random.int(1000)})),
    run(solution, {faults}) {
      const has = (kind: string) => faults.some((f) => f.kind === kind);
      if (solution.careful || !has(needed) || (alsoNeeded && !has(alsoNeeded))) return {ok: true};
      return {ok: false, problem: `broken by ${faults.map((f) => f.kind).join(", ")}`, moments: faults.map((f) => ({at: f.at, text: f.kind}))};
    }
  };
}

describe("grade", () => {
  it("finds a failure that needs one kind of fault, and shrinks its schedule to that one fault", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 0, max: 2 ** 31}), fc.integer({min: 2, max: 6}), async (seed, most) => {
        const report = await grade(toy({needed: "crash", kinds: ["crash", "lost-ack", "rebalance"], most}), {careful: false}, {seed, seeds: 200});
        expect(report.status).toBe("failed");
        if (report.status !== "failed") return;
        expect(report.faults.map((f) => f.kind)).toEqual(["crash"]);
        expect(report.drawn).toBeGreaterThanOrEqual(1);
        expect(report.problem).toBe("broken by crash");
        expect(report.attempts).toBeGreaterThanOrEqual(report.seedsTried);
      }),
      {numRuns: 30}
    );
  });

  it("shrinks to a minimal schedule: removing any one fault of it makes the run pass", async () => {
    const model = toy({needed: "crash", alsoNeeded: "rebalance", kinds: ["crash", "lost-ack", "rebalance"], most: 6});
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 0, max: 2 ** 31}), async (seed) => {
        const report = await grade(model, {careful: false}, {seed});
        if (report.status !== "failed") return expect(report.status).toBe("passed");
        expect(report.faults.map((f) => f.kind).sort()).toEqual(["crash", "rebalance"]);
        for (const i of report.faults.keys()) expect((await model.run({careful: false}, {seed: report.seed, faults: report.faults.filter((_, j) => j !== i)})).ok).toBe(true);
      }),
      {numRuns: 30}
    );
  });

  it("replays a reported failure: the seed and the shrunk schedule fail the same way", async () => {
    const model = toy({needed: "lost-ack", kinds: ["crash", "lost-ack"], most: 4});
    const report = await grade(model, {careful: false}, {seed: 7});
    expect(report.status).toBe("failed");
    if (report.status !== "failed") return;
    const again = await grade(model, {careful: false}, {replay: {seed: report.seed, faults: report.faults}});
    expect(again).toMatchObject({status: "failed", seed: report.seed, faults: report.faults, problem: report.problem});
  });

  it("passes a solution that never fails, saying how many seeds and faults it tried", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 0, max: 2 ** 31}), fc.integer({min: 20, max: 300}), async (seed, seeds) => {
        const model = toy({needed: "crash", kinds: ["crash", "lost-ack"], most: 3});
        const report = await grade(model, {careful: true}, {seed, seeds});
        const injected = seedsFrom(seed, seeds).reduce((n, s) => n + faultsFor(model, s).length, 0);
        expect(report).toEqual({status: "passed", seeds, faults: injected});
        expect(injected).toBeGreaterThan(0);
      }),
      {numRuns: 20}
    );
  });

  it("is deterministic: the same base seed gives the same report", async () => {
    const model = toy({needed: "rebalance", kinds: ["crash", "lost-ack", "rebalance"], most: 5});
    expect(await grade(model, {careful: false}, {seed: 99})).toEqual(await grade(model, {careful: false}, {seed: 99}));
    expect(new Set(seedsFrom(1, 200)).size).toBe(200);
  });

  it("reports a value of the wrong shape as invalid, with the model's message, without running", async () => {
    expect(await grade(toy({needed: "crash", kinds: ["crash"], most: 1}), 42)).toEqual({status: "invalid", problem: "the solution must be {careful: boolean}"});
  });

  it("turns a throw inside a run into a failure that names the error", async () => {
    const model: ExerciseModel<() => void> = {
      solution: (v) => v as () => void,
      faults: (random) => [{kind: "crash", at: random.int(100)} satisfies Fault],
      run(solution) {
        solution();
        return {ok: true};
      }
    };
    const report = await grade(model, () => {
      throw new RangeError("boom");
    });
    expect(report).toMatchObject({status: "failed", seedsTried: 1, faults: [], problem: "the run stopped with an error: RangeError: boom"});
  });
});
