// The experiment worker: bundled by scripts/vendor.ts into vendor/worker.js and started fresh for
// every run, so runs share no state and the page can terminate a run that never ends. It strips
// the TypeScript, runs the code as the body of an async function whose parameters are the scope's
// names, and posts back console output (in batches, capped, so a logging loop cannot flood the
// page), the result as plain data, or the error with its editor line.
import {createSimulation} from "../sim/index.js";
import {inspect, toCloneable} from "./clone.js";
import {EXPERIMENT_FILE, ExperimentSyntaxError, prepare, stackLocation} from "./prepare.js";
import type {ExperimentError, LogLevel, LogLine, RunRequest, WorkerMessage} from "./protocol.js";
import {RUN_NAMES, scope} from "./scope.js";
import {isTable} from "../tables/index.js";

const MAX_LOG_LINES = 1000;
const MAX_TABLE_ROWS = 10_000;
const LOG_BATCH = 50;

type Compiled = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Compiled;
const scopeNames = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
const parameterNames = [...scopeNames, ...RUN_NAMES];

const post = (message: WorkerMessage) => self.postMessage(message);
const compile = (body: string) => new AsyncFunction(...parameterNames, `${body}\n//# sourceURL=${EXPERIMENT_FILE}`);

/** Lines the engine's wrapper puts before the body ("async function anonymous(a,b\n) {\n" in V8). */
async function measureHeaderLines(): Promise<number> {
  try {
    await compile("throw new Error()")();
  } catch (error) {
    return (stackLocation((error as Error).stack, 0)?.line ?? 1) - 1;
  }
  return 0;
}
const headerLines = measureHeaderLines();

let buffer: LogLine[] = [];
let logged = 0;
function flush() {
  if (buffer.length) post({type: "logs", lines: buffer});
  buffer = [];
}
function log(level: LogLevel, args: unknown[]) {
  if (logged > MAX_LOG_LINES) return;
  logged += 1;
  buffer.push(logged > MAX_LOG_LINES ? {level: "warn", text: `… more than ${MAX_LOG_LINES} lines: the rest is not shown`} : {level, text: args.map(inspect).join(" ")});
  if (buffer.length >= LOG_BATCH) flush();
}
for (const level of ["log", "info", "warn", "error", "debug"] as const) console[level] = (...args: unknown[]) => log(level, args);
console.table = (data: unknown) => log("log", [data]);

self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  const reason = event.reason as {name?: string; message?: string} | undefined;
  log("error", [`Unhandled promise rejection: ${reason?.name ?? "Error"}: ${reason?.message ?? String(event.reason)}`]);
});

/** A returned arquero table crosses as its rows (drawn as a table), cut at MAX_TABLE_ROWS with a note. */
function rowsOf(value: unknown): unknown {
  if (!isTable(value)) return value;
  const rows = value.numRows();
  if (rows > MAX_TABLE_ROWS) log("info", [`showing ${MAX_TABLE_ROWS.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows`]);
  if (rows === 0) log("info", [`the table has no rows (columns: ${value.columnNames().join(", ")})`]);
  return value.objects({limit: MAX_TABLE_ROWS});
}

async function describe(error: unknown): Promise<ExperimentError> {
  if (error instanceof ExperimentSyntaxError) return {kind: "syntax", name: error.name, message: error.message, location: error.location};
  const {name = "Error", message = String(error), stack} = (typeof error === "object" && error !== null ? error : {}) as {name?: string; message?: string; stack?: string};
  return {kind: "runtime", name, message, location: stackLocation(stack, await headerLines)};
}

self.addEventListener("message", async (event: MessageEvent<RunRequest>) => {
  const {code, parameters} = event.data;
  let value: unknown;
  let error: ExperimentError | null = null;
  let durationMs = 0;
  try {
    const run = compile(prepare(code));
    const seed = typeof parameters.seed === "number" || typeof parameters.seed === "string" ? parameters.seed : 1;
    const args = [...scopeNames.map((name) => scope[name]), createSimulation({seed}), parameters];
    await headerLines;
    post({type: "started"});
    const start = performance.now();
    try {
      value = toCloneable(rowsOf(await run(...args)));
    } finally {
      durationMs = performance.now() - start;
    }
  } catch (caught) {
    error = await describe(caught);
  }
  flush();
  post({type: "done", value, error, durationMs});
});
