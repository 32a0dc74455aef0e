// Runs an experiment in a fresh module worker and settles with its result. The worker file
// (vendor/worker.js, built by scripts/vendor.ts) is fetched the first time something runs. A run
// that outlives its time limit is terminated, which stops even `while (true) {}`: the page's own
// thread never runs the reader's code.
import {FileAttachment} from "observablehq:stdlib";
import type {ExperimentResult, LogLine, RunRequest, WorkerMessage} from "./protocol.js";

const workerFile = FileAttachment("./vendor/worker.js");
let workerUrl: Promise<string> | undefined;

/** The worker's code, fetched once per page and kept as a blob: URL, so later runs start from memory. */
function loadWorker(): Promise<string> {
  return (workerUrl ??= workerFile
    .url()
    .then((url) => fetch(url))
    .then((response) => {
      if (!response.ok) throw new Error(`the experiment runner could not be loaded (HTTP ${response.status})`);
      return response.blob();
    })
    .then((blob) => URL.createObjectURL(new Blob([blob], {type: "text/javascript"})))
    .catch((error: unknown) => {
      workerUrl = undefined; // let a later run try again
      throw error;
    }));
}

export interface RunOptions {
  /** Most wall-clock ms the code may run (default 2000). */
  timeout?: number;
  parameters?: Record<string, unknown>;
  /** Called with console output as it arrives. */
  onLog?: (lines: LogLine[]) => void;
  /** Aborting terminates the run (status "timeout" is not used; the promise rejects). */
  signal?: AbortSignal;
}

/** How long a worker may take to load and compile before the run counts as failed. */
const LOAD_LIMIT_MS = 15_000;

export async function runExperiment(code: string, {timeout = 2000, parameters = {}, onLog, signal}: RunOptions = {}): Promise<ExperimentResult> {
  const url = await loadWorker();
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, {type: "module", name: "experiment"});
    const logs: LogLine[] = [];
    let timer = setTimeout(() => finish({status: "error", error: {kind: "runtime", name: "Error", message: "the experiment runner did not start", location: null}}), LOAD_LIMIT_MS);
    const finish = (result: Partial<ExperimentResult>) => {
      clearTimeout(timer);
      worker.terminate();
      signal?.removeEventListener("abort", abort);
      resolve({status: "ok", logs, value: undefined, error: null, durationMs: 0, ...result});
    };
    const abort = () => {
      clearTimeout(timer);
      worker.terminate();
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, {once: true});
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      finish({status: "error", error: {kind: "runtime", name: "Error", message: event.message || "the experiment worker failed to load", location: null}});
    });
    worker.addEventListener("message", ({data}: MessageEvent<WorkerMessage>) => {
      if (data.type === "started") {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const seconds = timeout / 1000;
          finish({
            status: "timeout",
            durationMs: timeout,
            error: {kind: "timeout", name: "TimeoutError", message: `stopped after ${seconds} s: the code was still running (an endless loop, or a promise that never settles?)`, location: null}
          });
        }, timeout);
      } else if (data.type === "logs") {
        logs.push(...data.lines);
        onLog?.(data.lines);
      } else {
        finish({status: data.error ? "error" : "ok", value: data.value, error: data.error, durationMs: data.durationMs});
      }
    });
    worker.postMessage({code, parameters} satisfies RunRequest);
  });
}
