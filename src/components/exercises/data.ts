// An exercise as its data file holds it (data/exercises/<id>.json, data/exercise.schema.json),
// and what the build checks beyond the schema: the model exists and knows every fault kind and
// parameter the file names, the id is the file's name, the page is one of the site's.
import {EXERCISE_MODELS, type GradeRequest} from "./models.js";

export interface Exercise {
  id: string;
  section: string;
  page: string;
  title: string;
  /** Markdown in the file; the build adds `taskHtml`. */
  task: string;
  starter: string;
  model: string;
  parameters: Record<string, unknown>;
  faultKinds: string[];
  property: string;
  seeds: number;
  seed?: number;
  timeoutMs?: number;
}

/** What is wrong with one exercise file that its schema cannot say; empty when nothing is. */
export function exerciseProblems(exercise: Exercise, fileName: string, pages: readonly string[]): string[] {
  const problems: string[] = [];
  if (exercise.id !== fileName) problems.push(`/id: must be the file's name, "${fileName}", got "${exercise.id}"`);
  if (!pages.includes(exercise.page)) problems.push(`/page: "${exercise.page}" is not a page of data/pages.json`);
  const entry = Object.hasOwn(EXERCISE_MODELS, exercise.model) ? EXERCISE_MODELS[exercise.model] : undefined;
  if (!entry) return [...problems, `/model: no exercise model "${exercise.model}" (known: ${Object.keys(EXERCISE_MODELS).join(", ")})`];
  for (const kind of exercise.faultKinds) {
    if (!entry.faultKinds.includes(kind)) problems.push(`/faultKinds: "${kind}" is not a fault of ${exercise.model} (it knows ${entry.faultKinds.join(", ")})`);
  }
  const known = Object.keys(entry.defaults).filter((name) => name !== "faultKinds");
  for (const name of Object.keys(exercise.parameters)) {
    if (!known.includes(name)) problems.push(`/parameters/${name}: not a parameter of ${exercise.model} (it has ${known.join(", ")}; the faults go in faultKinds)`);
  }
  if (!/\S/.test(exercise.starter.trim().split("\n").at(-1) ?? "")) problems.push("/starter: its last line must name the solution (e.g. startAgent)");
  return problems;
}

/** What the page hands the worker for a Grade: the model, its parameters with the fault kinds, the seeds. */
export const gradeRequestOf = (exercise: Exercise): GradeRequest => ({
  model: exercise.model,
  parameters: {...exercise.parameters, faultKinds: exercise.faultKinds},
  seeds: exercise.seeds,
  seed: exercise.seed ?? 1
});

/** An exercise as the build hands it to the page (src/data/exercises.json.ts). */
export type BuiltExercise = Exercise & {taskHtml: string; grade: GradeRequest};
