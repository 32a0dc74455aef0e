// The grader: tries to break the reader's solution with a model's faults, seed after seed, the way
// TigerBeetle's VOPR explores seeds (one base seed gives every run's seed, so one number replays a
// whole grading) and reports the first failure with its fault schedule shrunk as fast-check shrinks
// a counterexample: drop one fault at a time, keep any removal that still fails, until none does.
// The report is plain data, so it crosses from the sandbox's worker to the page as it is.
import {createRandom} from "../sim/index.js";
import type {Attempt, ExerciseModel, Fault, Moment, Outcome, TopicLog} from "./exercise.js";

export interface GradeOptions {
  /** How many seeds to try (default 200). */
  seeds?: number;
  /** The base seed every run's seed derives from (default 1). */
  seed?: number;
  /** Replays this one attempt (a reported seed and schedule) instead of exploring. */
  replay?: Attempt;
  /** Most runs the shrinking may spend (default 300). */
  shrinkLimit?: number;
}

export type GradeReport =
  | {status: "passed"; seeds: number; faults: number}
  | {
      status: "failed";
      /** The run's seed: with `faults`, it replays the failure. */
      seed: number;
      /** 1-based: the how-manieth seed failed. */
      seedsTried: number;
      /** The shortest schedule found that still fails. */
      faults: Fault[];
      /** How many faults the seed drew before shrinking. */
      drawn: number;
      problem: string;
      moments: Moment[];
      /** Runs made, shrinking included. */
      attempts: number;
      /** A replay's trace of the scenario's topic, for the log view (Kafka models). */
      log?: TopicLog;
    }
  /** The value is not a solution at all (its shape is wrong): nothing ran. */
  | {status: "invalid"; problem: string};

export const DEFAULT_SEEDS = 200;

/** The i-th run's seed from one base seed: a stream of its own, so nearby bases share no seeds. */
export function seedsFrom(base: number, count: number): number[] {
  const random = createRandom(`grade:${base}`);
  return Array.from({length: count}, () => Math.floor(random.next() * 2 ** 32));
}

/** The faults of one run, from a sub-stream of its seed (the run itself uses the seed). */
export const faultsFor = <S>(model: ExerciseModel<S>, seed: number): Fault[] => model.faults(createRandom(`faults:${seed}`)).sort((a, b) => a.at - b.at);

type Failure = Extract<Outcome, {ok: false}>;

/** The model's outcome; a throw (the reader's code, most likely) is a failure that says what was thrown. */
async function attempt<S>(model: ExerciseModel<S>, solution: S, a: Attempt): Promise<Outcome> {
  try {
    return await model.run(solution, a);
  } catch (error) {
    return {ok: false, problem: `the run stopped with an error: ${errorText(error)}`};
  }
}

export function errorText(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return "a thrown value that cannot be turned into text";
  }
}

/** Removes faults one at a time while the run still fails; the result fails and no single removal keeps it failing. */
export async function shrink<S>(model: ExerciseModel<S>, solution: S, seed: number, faults: readonly Fault[], failure: Failure, limit = 300): Promise<{faults: Fault[]; failure: Failure; runs: number}> {
  let current = [...faults];
  let runs = 0;
  for (let changed = true; changed && runs < limit; ) {
    changed = false;
    for (let i = 0; i < current.length && runs < limit; i++) {
      const candidate = current.filter((_, j) => j !== i);
      runs++;
      const outcome = await attempt(model, solution, {seed, faults: candidate});
      if (!outcome.ok) {
        current = candidate;
        failure = outcome;
        changed = true;
        break;
      }
    }
  }
  return {faults: current, failure, runs};
}

export async function grade<S>(model: ExerciseModel<S>, value: unknown, {seeds = DEFAULT_SEEDS, seed = 1, replay, shrinkLimit}: GradeOptions = {}): Promise<GradeReport> {
  if (!(Number.isInteger(seeds) && seeds >= 1)) throw new RangeError(`seeds must be a positive integer, got ${seeds}`);
  let solution: S;
  try {
    solution = model.solution(value);
  } catch (error) {
    if (error instanceof TypeError) return {status: "invalid", problem: error.message};
    throw error;
  }
  const runs = replay ? [{seed: replay.seed, faults: [...replay.faults], trace: true}] : seedsFrom(seed, seeds).map((s) => ({seed: s, faults: faultsFor(model, s)}));
  let injected = 0;
  for (const [i, run] of runs.entries()) {
    const outcome = await attempt(model, solution, run);
    if (outcome.ok) {
      injected += run.faults.length;
      continue;
    }
    const shrunk = replay ? {faults: run.faults, failure: outcome, runs: 0} : await shrink(model, solution, run.seed, run.faults, outcome, shrinkLimit);
    return {
      status: "failed",
      seed: run.seed,
      seedsTried: i + 1,
      faults: shrunk.faults,
      drawn: run.faults.length,
      problem: shrunk.failure.problem,
      moments: [...(shrunk.failure.moments ?? [])],
      attempts: i + 1 + shrunk.runs,
      ...(shrunk.failure.log ? {log: shrunk.failure.log} : {})
    };
  }
  return {status: "passed", seeds: runs.length, faults: injected};
}

const isFault = (f: unknown): f is Fault => typeof (f as Fault)?.kind === "string" && Number.isFinite((f as Fault).at) && ((f as Fault).target === undefined || typeof (f as Fault).target === "string");
const isLog = (l: unknown): l is TopicLog => (l as TopicLog)?.kind === "log-view" && typeof (l as TopicLog).topic === "string" && Array.isArray((l as TopicLog).events);
const isMoment = (m: unknown): m is Moment => Number.isFinite((m as Moment)?.at) && typeof (m as Moment).text === "string";

/** Whether a value that came back from the sandbox is a report the page can draw. */
export function isGradeReport(value: unknown): value is GradeReport {
  const r = value as Record<string, unknown> | null;
  if (typeof r !== "object" || r === null) return false;
  if (r.status === "passed") return Number.isInteger(r.seeds) && Number.isInteger(r.faults);
  if (r.status === "invalid") return typeof r.problem === "string";
  return (
    r.status === "failed" && (r.log === undefined || isLog(r.log)) && Number.isFinite(r.seed) && Number.isInteger(r.seedsTried) && Number.isInteger(r.drawn) && Number.isInteger(r.attempts) && typeof r.problem === "string" &&
    Array.isArray(r.faults) && r.faults.every(isFault) && Array.isArray(r.moments) && r.moments.every(isMoment)
  );
}

/** "1.20 s": virtual ms as the reader reads them in problems and moments. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** "crash of agent-a at 1.20 s" */
export const describeFault = (f: Fault): string => `${f.kind}${f.target ? ` of ${f.target}` : ""} at ${seconds(f.at)}`;
