// A minimal stand-in for the grader (src/components/exercises/grade.ts, on another branch): runs a
// model over seeds 0..n-1 with the faults it draws for each, and stops at the first failing seed.
// No shrinking. At the merge the lead switches these tests to grade().
import {expect} from "vitest";
import {EXPERIMENT_FILE, prepare} from "../../src/components/cells/prepare.js";
import {createRandom} from "../../src/components/sim/index.js";
import type {Attempt, ExerciseModel, Outcome} from "../../src/components/exercises/exercise.js";

export const SEEDS = 200;

export type Exploration = {passed: number; ms: number} | {failed: Attempt; outcome: Extract<Outcome, {ok: false}>; tried: number; ms: number};

export async function explore<S>(model: ExerciseModel<S>, value: unknown, seeds = SEEDS): Promise<Exploration> {
  const solution = model.solution(value);
  const started = performance.now();
  for (let seed = 0; seed < seeds; seed++) {
    const attempt = {seed, faults: model.faults(createRandom(`${seed}/faults`))};
    const outcome = await model.run(solution, attempt);
    if (!outcome.ok) return {failed: attempt, outcome, tried: seed + 1, ms: performance.now() - started};
  }
  return {passed: seeds, ms: performance.now() - started};
}

const AsyncFunction = (async () => {}).constructor as new (body: string) => () => Promise<unknown>;

/** What a code cell holding `code` evaluates to, through the cells' own prepare() (TypeScript stripped, the last expression returned). */
export function cellValue(code: string): Promise<unknown> {
  return new AsyncFunction(`${prepare(code)}\n//# sourceURL=${EXPERIMENT_FILE}`)();
}

/** The reference (what the reader's cell returns) passes every seed. */
export async function expectPasses<S>(model: ExerciseModel<S>, value: unknown): Promise<void> {
  const result = await explore(model, value);
  expect(result).toMatchObject({passed: SEEDS});
}

/** A wrong solution fails on some seed with a problem matching `problem`, and that seed with its faults fails the same way again. */
export async function expectCaught<S>(model: ExerciseModel<S>, value: unknown, problem: RegExp): Promise<Attempt> {
  const result = await explore(model, value);
  if (!("failed" in result)) throw new Error(`the wrong solution passed all ${SEEDS} seeds`);
  expect(result.outcome.problem).toMatch(problem);
  const again = await model.run(model.solution(value), {seed: result.failed.seed, faults: [...result.failed.faults]});
  expect(again).toEqual(result.outcome);
  return result.failed;
}
