// Messages between the page and the experiment worker, and the result a code cell's value holds.
import type {SourceLocation} from "./prepare.js";

export type LogLevel = "log" | "info" | "warn" | "error" | "debug";

export interface LogLine {
  level: LogLevel;
  text: string;
}

export interface ExperimentError {
  /** "syntax": the code does not parse; "runtime": it threw; "timeout": it was stopped. */
  kind: "syntax" | "runtime" | "timeout";
  name: string;
  message: string;
  /** Where in the editor (1-based), when known. */
  location: SourceLocation | null;
}

export interface ExperimentResult {
  status: "idle" | "running" | "ok" | "error" | "timeout";
  logs: LogLine[];
  /** The last expression's value (or what the code returned), as plain data. */
  value: unknown;
  error: ExperimentError | null;
  /** Wall-clock time the code ran, in ms (the time limit, for a timeout). */
  durationMs: number;
}

export interface RunRequest {
  code: string;
  parameters: Record<string, unknown>;
}

export type WorkerMessage =
  | {type: "started"}
  | {type: "logs"; lines: LogLine[]}
  | {type: "done"; value: unknown; error: ExperimentError | null; durationMs: number};
