// Messages between the page and the experiment worker, and the result a code cell's value holds.
//
// The page and the worker talk only over a private MessageChannel (runner.ts): the page sends one
// RunRequest once the worker says it is ready; the worker answers with batches of console lines
// and one "done". The page checks every message's shape (inbox.ts) and keeps its own clock.
import type {SourceLocation} from "./prepare.js";
import type {GradeRequest} from "../exercises/models.js";

export type LogLevel = "log" | "info" | "warn" | "error" | "debug";

export interface LogLine {
  level: LogLevel;
  text: string;
}

export interface ExperimentError {
  /** "syntax": the code does not parse; "runtime": it threw; "timeout": it was stopped at the limit; "stopped": the reader stopped it. */
  kind: "syntax" | "runtime" | "timeout" | "stopped";
  name: string;
  message: string;
  /** Where in the editor (1-based), when known. */
  location: SourceLocation | null;
}

export interface ExperimentResult {
  status: "idle" | "running" | "ok" | "error" | "timeout" | "stopped";
  logs: LogLine[];
  /** The last expression's value (or what the code returned), as plain data. */
  value: unknown;
  error: ExperimentError | null;
  /** Wall-clock time from the page's run request to the result, in ms (the time limit, for a timeout). */
  durationMs: number;
  /** What was cut from the value or the logs before the page drew them ("showing 10,000 of 25,000 rows"). */
  cut?: string[];
}

export interface RunRequest {
  code: string;
  parameters: Record<string, unknown>;
  /** An exercise's Grade: the code's value is the solution, and the result is the grader's report. */
  grade?: GradeRequest;
}

/** What the worker sends on its port. */
export type WorkerMessage =
  | {type: "ready"}
  | {type: "logs"; lines: LogLine[]}
  | {type: "done"; value: unknown; error: ExperimentError | null; cut: string[]};

/** What the sandbox frame's own bootstrap may post to the page: only that its worker failed. */
export interface FrameMessage {
  type: "failed";
  message: string;
}
