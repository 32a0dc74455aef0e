// The contract between an exercise's model (one per scenario: "idempotent-consumer",
// "acking-work-queue", ...) and the grader that tries to break the reader's solution with it.
// The grader (grade.ts) draws a fault schedule per seed, runs the model, stops at the first seed
// whose run breaks the property, shrinks that schedule (as fast-check shrinks a counterexample)
// and reports the seed, the shortest schedule and the model's own account of what went wrong.
import type {Random, TraceEvent} from "../sim/index.js";

/** One fault the grader may inject, at a virtual time, in the reader's terms. */
export interface Fault {
  /** What happens: "crash", "lost-ack", "rebalance", "redelivery", "duplicate-publish", "slow", ... (the model's own names). */
  kind: string;
  /** Virtual ms from the start of the run. */
  at: number;
  /** Which process, consumer or message it hits, where the kind needs one. */
  target?: string;
}

/** One run the grader asks for: every nondeterminism from `seed`, the faults as given. */
export interface Attempt {
  seed: number;
  faults: readonly Fault[];
  /** A replay: a failing outcome may carry `log` (the run's trace for one topic) for the log view. */
  trace?: boolean;
}

/** A Kafka topic's part of a run's trace, as ui/log-state.ts's logView() gives it and ui/log-view.ts draws it. */
export interface TopicLog {
  kind: "log-view";
  topic: string;
  events: TraceEvent[];
}

/** Points in the run the reader can jump to (the replay button opens the log view there). */
export interface Moment {
  at: number;
  text: string;
}

export type Outcome =
  | {ok: true}
  | {
      ok: false;
      /** What broke, in the reader's terms: "order-17 was charged twice: delivered at 1.20 s, crashed before the commit, delivered again at 3.05 s". */
      problem: string;
      moments?: readonly Moment[];
      /** Only when the attempt asked for `trace`. */
      log?: TopicLog;
    };

export interface ExerciseModel<Solution> {
  /** The reader's cell returns a value; this checks its shape and throws a TypeError whose message says what is missing. */
  solution(value: unknown): Solution;
  /** The faults this scenario can suffer, drawn for one seed from `random` (a sub-stream of the seed). */
  faults(random: Random): Fault[];
  /** Runs the scenario once with the solution under the attempt and checks the property. */
  run(solution: Solution, attempt: Attempt): Outcome | Promise<Outcome>;
}
