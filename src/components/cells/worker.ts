// The experiment worker: bundled by scripts/vendor.ts into vendor/worker.js (a classic script) and
// started fresh for every run inside the sandbox frame (runner.ts), so runs share no state and the
// page ends a run by removing the frame. It strips the TypeScript, runs the code as the body of an
// async function whose parameters are the scope's names, and posts back console output (in
// batches), the result as plain data, or the error with its editor line.
//
// It talks only on the private port the frame hands it before any of the reader's code exists.
// The port and its bound postMessage live in this bundle's closure; the worker's own
// `postMessage`/`onmessage` are removed from the global, so the reader's code can reach neither
// (it can still write to the console, which the page caps: inbox.ts).
import {createSimulation} from "../sim/index.js";
import {inspect, toCloneable} from "./clone.js";
import {EXPERIMENT_FILE, ExperimentSyntaxError, prepare, stackLocation} from "./prepare.js";
import type {ExperimentError, LogLevel, LogLine, RunRequest, WorkerMessage} from "./protocol.js";
import {RUN_NAMES, scope} from "./scope.js";
import {isTable} from "../tables/index.js";
import {gradeExercise, isGradeRequest} from "../exercises/models.js";

const MAX_LOG_LINES = 1000;
const MAX_TABLE_ROWS = 10_000;
const LOG_BATCH = 50;

type Compiled = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Compiled;
const scopeNames = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
const parameterNames = [...scopeNames, ...RUN_NAMES];
const compile = (body: string) => new AsyncFunction(...parameterNames, `${body}\n//# sourceURL=${EXPERIMENT_FILE}`);

// Taken now, before any reader's code: a bound function is called without looking anything up,
// so a patched MessagePort.prototype.postMessage or Function.prototype.call never sees the port.
const portPostMessage = MessagePort.prototype.postMessage;
let post: (message: WorkerMessage) => void = () => {};

/** Lines the engine's wrapper puts before the body ("async function anonymous(a,b\n) {\n" in V8). */
async function measureHeaderLines(): Promise<number> {
  try {
    await compile("throw new Error()")();
  } catch (error) {
    return (stackLocation((error as Error).stack, 0)?.line ?? 1) - 1;
  }
  return 0;
}

let buffer: LogLine[] = [];
let logged = 0;
function flush() {
  if (buffer.length) post({type: "logs", lines: buffer});
  buffer = [];
}
function log(level: LogLevel, args: unknown[]) {
  if (logged > MAX_LOG_LINES) return;
  logged += 1;
  buffer.push(logged > MAX_LOG_LINES ? {level: "warn", text: `… more than ${MAX_LOG_LINES} lines: the rest is not shown`} : {level, text: args.map(safeInspect).join(" ")});
  if (buffer.length >= LOG_BATCH) flush();
}
for (const level of ["log", "info", "warn", "error", "debug"] as const) console[level] = (...args: unknown[]) => log(level, args);
console.table = (data: unknown) => log("log", [data]);

/** Text for any value, even one whose toString throws or that is a Symbol. */
function text(value: unknown): string {
  try {
    return typeof value === "symbol" ? value.toString() : String(value);
  } catch {
    return "";
  }
}
function read(value: unknown, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
function safeInspect(value: unknown): string {
  try {
    return inspect(value);
  } catch {
    return text(value) || `[${typeof value} that cannot be printed]`;
  }
}
/** "an object with keys message, code" for a value that cannot be turned into text. */
function whatItIs(value: unknown): string {
  let keys: string[] = [];
  try {
    keys = Object.keys(value as object).slice(0, 8);
  } catch {
    // a proxy that refuses: keep the type alone
  }
  return `a thrown ${typeof value} that cannot be turned into text${keys.length ? ` (keys: ${keys.join(", ")})` : ""}`;
}

/** A returned arquero table crosses as its rows (drawn as a table), cut at MAX_TABLE_ROWS with a note. */
function rowsOf(value: unknown): unknown {
  if (!isTable(value)) return value;
  const rows = value.numRows();
  if (rows > MAX_TABLE_ROWS) log("info", [`showing ${MAX_TABLE_ROWS.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows`]);
  if (rows === 0) log("info", [`the table has no rows (columns: ${value.columnNames().join(", ")})`]);
  return value.objects({limit: MAX_TABLE_ROWS});
}

self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  const reason: unknown = event.reason;
  const name = read(reason, "name");
  const message = read(reason, "message");
  log("error", [`Unhandled promise rejection: ${typeof name === "string" ? name : "Error"}: ${typeof message === "string" ? message : text(reason)}`]);
});

/** The error as the page shows it, whatever was thrown; never throws itself. */
function describe(error: unknown, headerLines: number): ExperimentError {
  if (error instanceof ExperimentSyntaxError) return {kind: "syntax", name: error.name, message: error.message, location: error.location};
  const isObject = (typeof error === "object" && error !== null) || typeof error === "function";
  const name = isObject ? read(error, "name") : undefined;
  const message = isObject ? read(error, "message") : undefined;
  const stack = isObject ? read(error, "stack") : undefined;
  const described = typeof message === "string" ? message : message !== undefined ? text(message) : text(error);
  return {
    kind: "runtime",
    name: typeof name === "string" ? name : "Error",
    message: described || whatItIs(error),
    location: typeof stack === "string" ? stackLocation(stack, headerLines) : null
  };
}

async function runRequest({code, parameters, grade}: RunRequest, headerLines: number): Promise<void> {
  let value: unknown;
  let error: ExperimentError | null = null;
  const cut: string[] = [];
  try {
    const run = compile(prepare(code));
    const seed = typeof parameters.seed === "number" || typeof parameters.seed === "string" ? parameters.seed : 1;
    const args = [...scopeNames.map((name) => scope[name]), createSimulation({seed}), parameters];
    const returned = await run(...args);
    // An exercise grades the returned solution here, in the sandbox; only the report goes out.
    value = toCloneable(grade ? await gradeExercise(grade, returned) : rowsOf(returned), 0, new Set(), cut);
  } catch (caught) {
    error = describe(caught, headerLines);
  }
  try {
    flush();
  } catch {
    // console lines that cannot be copied are lost; the result still goes out
  }
  try {
    post({type: "done", value, error, cut});
  } catch (cloneError) {
    const message = `the result could not be copied to the page (${text(read(cloneError, "message"))})`;
    post({type: "done", value: undefined, error: {kind: "runtime", name: "DataCloneError", message, location: null}, cut: []});
  }
}

/** Removes a global the reader's code must not reach, from the global object and its prototypes. */
function hide(name: string): void {
  for (let target: object | null = self; target; target = Object.getPrototypeOf(target)) {
    if (Object.getOwnPropertyDescriptor(target, name)?.configurable) delete (target as Record<string, unknown>)[name];
  }
  Object.defineProperty(self, name, {value: undefined, writable: false, configurable: false});
}

// The frame's one message carries the port; after it, this worker listens to nothing else.
self.addEventListener("message", function receivePort(event: MessageEvent<{port?: unknown}>) {
  const port = event.data?.port;
  if (!(port instanceof MessagePort)) return;
  self.removeEventListener("message", receivePort);
  const send = portPostMessage.bind(port) as (message: WorkerMessage) => void;
  post = send;
  for (const name of ["postMessage", "onmessage", "onmessageerror"]) hide(name);
  void measureHeaderLines().then((headerLines) => {
    port.onmessage = ({data}: MessageEvent<RunRequest>) => {
      port.onmessage = null; // one run per worker
      if (typeof data?.code !== "string" || typeof data.parameters !== "object" || data.parameters === null) return;
      if (data.grade !== undefined && !isGradeRequest(data.grade)) return;
      void runRequest(data, headerLines);
    };
    send({type: "ready"});
  });
});
