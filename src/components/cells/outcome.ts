// Words for a run's outcome, shared by the cell's status line and renderResult. Pure.
import type {ExperimentError, ExperimentResult} from "./protocol.js";

export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** "SyntaxError on line 3, column 7: Unexpected token" */
export function formatError({name, message, location}: ExperimentError): string {
  const where = location ? ` on line ${location.line}, column ${location.column}` : "";
  return `${name}${where}: ${message}`;
}

/** `grading`: an exercise's cell, whose button says Grade. */
export function formatStatus(result: ExperimentResult, {shared = false, grading = false} = {}): string {
  const verb = grading ? "Grade" : "Run";
  switch (result.status) {
    case "idle":
      return shared ? `Code from a shared link: nothing has run. Press ${verb}.` : `Not ${grading ? "graded" : "run"} yet. Press ${verb} (or Shift-Enter).`;
    case "running":
      return grading ? "Grading…" : "Running…";
    case "ok":
      return `${grading ? "Graded" : "Ran"} in ${formatDuration(result.durationMs)}.`;
    case "timeout":
      return `Stopped after ${formatDuration(result.durationMs)} (the time limit).`;
    case "stopped":
      return `Stopped after ${formatDuration(result.durationMs)}.`;
    case "error":
      return result.error?.kind === "syntax" ? "The code does not parse." : `Threw after ${formatDuration(result.durationMs)}.`;
  }
}

/** True for a non-empty array of records: drawn as a table. */
export function isRecordArray(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every((row) => typeof row === "object" && row !== null && !Array.isArray(row) && !ArrayBuffer.isView(row) && !(row instanceof Date));
}

export const idleResult: ExperimentResult = Object.freeze({status: "idle", logs: [], value: undefined, error: null, durationMs: 0});
