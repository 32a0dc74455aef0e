// The page's side of a run's channel: every message from the worker is checked here before the
// page believes it. The worker runs the reader's code, so nothing it sends is trusted: a message
// of the wrong shape or in the wrong order ends the run with an error, and logs and values are
// capped here (whatever the worker capped), saying what was cut. Pure and total: it never throws,
// whatever it is given (test/cells/inbox.test.ts feeds it random messages).
import type {ExperimentError, LogLevel, LogLine} from "./protocol.js";

export const limits = {
  /** Console lines kept for one run. */
  logLines: 1000,
  /** Characters kept of one console line. */
  lineChars: 2000,
  /** Characters kept of all console lines of one run. */
  logChars: 200_000,
  /** Rows of an array result (or keys of an object result) kept. */
  rows: 10_000,
  /** Approximate characters of a result's data (as JSON) beyond which it is not drawn. */
  valueChars: 2_000_000,
  /** Characters kept of an error's name or message, or of a note. */
  textChars: 2000,
  /** Notes of what the worker cut. */
  notes: 20
};
export type Limits = typeof limits;

export type Received =
  | {kind: "ready"}
  | {kind: "logs"; added: LogLine[]}
  | {kind: "done"; value: unknown; error: ExperimentError | null; cut: string[]}
  | {kind: "invalid"; reason: string};

const LEVELS = new Set<string>(["log", "info", "warn", "error", "debug"]);
const ERROR_KINDS = new Set<string>(["syntax", "runtime"]);
const count = (n: number) => n.toLocaleString("en-US");

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const clip = (text: string, most: number) => (text.length > most ? `${text.slice(0, most)}…` : text);
const isPosition = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 1;

function readError(error: unknown, textChars: number): ExperimentError | null | undefined {
  if (error === null) return null;
  if (!isRecord(error) || typeof error.kind !== "string" || !ERROR_KINDS.has(error.kind)) return undefined;
  if (typeof error.name !== "string" || typeof error.message !== "string") return undefined;
  const {location} = error;
  if (location !== null && !(isRecord(location) && isPosition(location.line) && isPosition(location.column))) return undefined;
  return {
    kind: error.kind as ExperimentError["kind"],
    name: clip(error.name, textChars),
    message: clip(error.message, textChars),
    location: location === null ? null : {line: location.line as number, column: location.column as number}
  };
}

/** Roughly how many characters `value` takes as JSON, counting no further than `most` (iterative: any depth, cycles). */
export function sizeAtMost(value: unknown, most: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length && size <= most) {
    const v = stack.pop();
    if (typeof v === "string") size += v.length + 2;
    else if (typeof v === "bigint") size += 24;
    else if (v === null || typeof v !== "object") size += 8;
    else if (seen.has(v)) size += 12;
    else {
      seen.add(v);
      if (ArrayBuffer.isView(v)) size += v.byteLength * 4;
      else if (v instanceof ArrayBuffer) size += v.byteLength * 4;
      else if (v instanceof Date || v instanceof RegExp) size += 24;
      else if (v instanceof Map || v instanceof Set) {
        size += 2 + v.size;
        for (const entry of v) if (stack.push(entry) > most) break;
      } else if (Array.isArray(v)) {
        size += 2 + v.length;
        for (let i = 0; i < v.length && stack.length <= most; i++) stack.push(v[i]);
      } else {
        for (const key in v) {
          size += key.length + 4;
          stack.push((v as Record<string, unknown>)[key]);
          if (size > most) break;
        }
      }
    }
  }
  return size;
}

/** The value cut to what the page draws, and what was cut, in words. */
export function limitValue(value: unknown, {rows, valueChars}: Pick<Limits, "rows" | "valueChars"> = limits): {value: unknown; cut: string[]} {
  const cut: string[] = [];
  if (Array.isArray(value) && value.length > rows) {
    cut.push(`showing ${count(rows)} of ${count(value.length)} rows`);
    value = value.slice(0, rows);
  } else if (isRecord(value) && !(value instanceof Date) && !ArrayBuffer.isView(value)) {
    const keys = Object.keys(value);
    if (keys.length > rows) {
      cut.push(`showing ${count(rows)} of ${count(keys.length)} keys`);
      value = Object.fromEntries(keys.slice(0, rows).map((key) => [key, (value as Record<string, unknown>)[key]]));
    }
  }
  if (sizeAtMost(value, valueChars) > valueChars) {
    cut.push(`the result is larger than ${count(valueChars / 1e6)} million characters of data: it is not shown (return fewer or smaller rows)`);
    value = undefined;
  }
  return {value, cut};
}

/** A run's inbox: `receive` each message in order; `logs()` is what was kept, `dropped()` how many lines were not. */
export function createInbox(options: Limits = limits) {
  let phase: "loading" | "running" | "done" = "loading";
  const lines: LogLine[] = [];
  let chars = 0;
  let dropped = 0;

  function receiveLogs(batch: unknown): Received {
    if (!Array.isArray(batch)) return {kind: "invalid", reason: "its console lines are not a list"};
    const added: LogLine[] = [];
    for (let i = 0; i < batch.length; i++) {
      if (lines.length >= options.logLines || chars >= options.logChars) {
        dropped += batch.length - i;
        break;
      }
      const line: unknown = batch[i];
      if (!isRecord(line) || typeof line.level !== "string" || !LEVELS.has(line.level) || typeof line.text !== "string") {
        return {kind: "invalid", reason: "a console line is not {level, text}"};
      }
      const kept = {level: line.level as LogLevel, text: clip(line.text, Math.min(options.lineChars, options.logChars - chars))};
      chars += kept.text.length;
      lines.push(kept);
      added.push(kept);
    }
    return {kind: "logs", added};
  }

  function receiveDone(message: Record<string, unknown>): Received {
    const error = readError(message.error, options.textChars);
    if (error === undefined) return {kind: "invalid", reason: "its error is not {kind, name, message, location}"};
    const notes = message.cut === undefined ? [] : message.cut;
    if (!Array.isArray(notes) || !notes.every((note) => typeof note === "string")) return {kind: "invalid", reason: "its notes of what was cut are not text"};
    const limited = limitValue(error ? undefined : message.value, options);
    const cut = [...notes.slice(0, options.notes).map((note: string) => clip(note, options.textChars)), ...limited.cut];
    if (dropped) cut.push(`showing ${count(lines.length)} of ${count(lines.length + dropped)} console lines`);
    return {kind: "done", value: limited.value, error, cut};
  }

  function receive(message: unknown): Received {
    if (phase === "done") return {kind: "invalid", reason: "it came after the result"};
    if (!isRecord(message) || typeof message.type !== "string") return {kind: "invalid", reason: "it is not a message of the runner"};
    if (message.type === "ready" && phase === "loading") {
      phase = "running";
      return {kind: "ready"};
    }
    if (phase !== "running") return {kind: "invalid", reason: `"${clip(message.type, 40)}" came before the runner was ready`};
    if (message.type === "logs") return receiveLogs(message.lines);
    if (message.type === "done") {
      phase = "done";
      return receiveDone(message);
    }
    return {kind: "invalid", reason: `"${clip(message.type, 40)}" is not a message this page expects now`};
  }

  return {
    /** Checks one message; never throws. An "invalid" answer means the run must end. */
    receive(message: unknown): Received {
      try {
        const received = receive(message);
        if (received.kind === "invalid") phase = "done";
        return received;
      } catch {
        phase = "done"; // a getter or proxy that throws: structured clone gives neither, but say so anyway
        return {kind: "invalid", reason: "it could not be read"};
      }
    },
    logs: (): LogLine[] => lines,
    dropped: () => dropped
  };
}

export type Inbox = ReturnType<typeof createInbox>;
