// What the browser runs, in Node: an exercise as its data file and the build make it (the model from
// models.ts with the file's parameters, data/ files read in), the reader's code through the cells'
// own prepare(), and the grader (grade.ts) with the file's seeds.
import {expect} from "vitest";
import {loadExercises, withDataFiles} from "../../scripts/data.js";
import {EXPERIMENT_FILE, prepare} from "../../src/components/cells/prepare.js";
import {gradeRequestOf, type Exercise} from "../../src/components/exercises/data.js";
import type {ExerciseModel} from "../../src/components/exercises/exercise.js";
import {grade, type GradeReport} from "../../src/components/exercises/grade.js";
import {EXERCISE_MODELS} from "../../src/components/exercises/models.js";

export interface GradedExercise {
  file: Exercise;
  model: ExerciseModel<unknown>;
  seeds: number;
  seed: number;
}

/** data/exercises/<id>.json and the model Grade runs for it. */
export function exercise(id: string): GradedExercise {
  const file = loadExercises<Exercise>().find((e) => e.name === id)?.exercise;
  if (!file) throw new Error(`no data/exercises/${id}.json`);
  const request = gradeRequestOf(file);
  const parameters = withDataFiles(request.parameters, EXERCISE_MODELS[file.model].dataFiles ?? [], `data/exercises/${id}.json`);
  return {file, model: EXERCISE_MODELS[file.model].create(parameters), seeds: request.seeds, seed: request.seed};
}

const AsyncFunction = (async () => {}).constructor as new (body: string) => () => Promise<unknown>;

/** What a code cell holding `code` evaluates to, through the cells' own prepare() (TypeScript stripped, the last expression returned). */
export function cellValue(code: string): Promise<unknown> {
  return new AsyncFunction(`${prepare(code)}\n//# sourceURL=${EXPERIMENT_FILE}`)();
}

/** The solution passes every seed the exercise file asks for. */
export async function expectPasses({model, seeds, seed}: GradedExercise, value: unknown): Promise<void> {
  expect(seeds).toBeGreaterThanOrEqual(200);
  expect(await grade(model, value, {seeds, seed})).toMatchObject({status: "passed", seeds});
}

/** A wrong solution fails on some seed with a problem matching `problem`, and replaying that seed with its shrunk schedule fails the same way. */
export async function expectCaught({model, seeds, seed}: GradedExercise, value: unknown, problem: RegExp): Promise<Extract<GradeReport, {status: "failed"}>> {
  const report = await grade(model, value, {seeds, seed});
  if (report.status !== "failed") throw new Error(`the wrong solution was not caught: ${JSON.stringify(report)}`);
  expect(report.problem).toMatch(problem);
  const again = await grade(model, value, {replay: {seed: report.seed, faults: report.faults}});
  expect(again).toMatchObject({status: "failed", seed: report.seed, faults: report.faults, problem: report.problem});
  return report;
}
