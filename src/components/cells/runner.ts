// Runs an experiment where the page's thread and origin are out of reach, and settles with its
// result. Each run gets a fresh <iframe sandbox="allow-scripts"> (vendor/sandbox.html: an opaque
// origin with its own Content-Security-Policy and no network), which starts a worker from the
// worker's code (vendor/worker.js, fetched once per page). The page hands the frame one end of a
// private MessageChannel for the worker; it keeps the other end and believes nothing else.
//
// The page keeps the clock: the time limit starts when the page sends the run request, and at the
// limit (or on stop()) the page removes the frame, which ends its worker, whatever the worker says.
// Every message is checked by inbox.ts; one of the wrong shape ends the run with an error.
import {FileAttachment} from "observablehq:stdlib";
import {createInbox} from "./inbox.js";
import type {ExperimentError, ExperimentResult, LogLine, RunRequest} from "./protocol.js";

const workerFile = FileAttachment("./vendor/worker.js");
const sandboxFile = FileAttachment("./vendor/sandbox.html");
let workerCode: Promise<Blob> | undefined;

/** The worker's code, fetched once per page and kept as a Blob, so later runs start from memory. */
function loadWorker(): Promise<Blob> {
  return (workerCode ??= workerFile
    .url()
    .then((url) => fetch(url))
    .then((response) => {
      if (!response.ok) throw new Error(`the experiment runner could not be loaded (HTTP ${response.status})`);
      return response.blob();
    })
    .then((blob) => new Blob([blob], {type: "text/javascript"}))
    .catch((error: unknown) => {
      workerCode = undefined; // let a later run try again
      throw error;
    }));
}

export interface RunOptions {
  /** Most wall-clock ms the code may run, from the page's run request (default 2000). */
  timeout?: number;
  parameters?: Record<string, unknown>;
  /** Grade an exercise: the code's value is the solution (models.ts), the result's value the report. */
  grade?: RunRequest["grade"];
  /** Called with console output as it arrives (already checked and capped). */
  onLog?: (lines: LogLine[]) => void;
}

export interface Run {
  result: Promise<ExperimentResult>;
  /** Ends the run at once (status "stopped"); nothing after it is believed. */
  stop(): void;
}

/** How long the frame and its worker may take to load before the run counts as failed. */
const LOAD_LIMIT_MS = 15_000;

const failure = (kind: ExperimentError["kind"], name: string, message: string): ExperimentError => ({kind, name, message, location: null});

export function startRun(code: string, {timeout = 2000, parameters = {}, grade, onLog}: RunOptions = {}): Run {
  const inbox = createInbox();
  const channel = new MessageChannel();
  const frame = document.createElement("iframe");
  frame.className = "code-cell-sandbox";
  frame.title = "Experiment sandbox";
  frame.hidden = true;
  frame.setAttribute("sandbox", "allow-scripts");
  let requestedAt = 0;
  let settle: (result: ExperimentResult) => void = () => {};
  const result = new Promise<ExperimentResult>((resolve) => (settle = resolve));
  let timer = setTimeout(() => finish({status: "error", error: failure("runtime", "Error", "the experiment runner did not start")}), LOAD_LIMIT_MS);

  let finished = false;
  let loaded = false;
  function finish(outcome: Partial<ExperimentResult>) {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    // Removing the frame ends its worker, even in `while (true) {}`. A frame still loading is
    // removed once loaded (it never gets the worker), so its document's request is not cut off.
    if (loaded) frame.remove();
    else frame.addEventListener("load", () => frame.remove(), {once: true});
    channel.port1.onmessage = null;
    channel.port1.close();
    removeEventListener("message", fromFrame);
    const durationMs = requestedAt ? performance.now() - requestedAt : 0;
    const dropped = inbox.dropped();
    const cut = outcome.cut ?? (dropped ? [`showing ${inbox.logs().length.toLocaleString("en-US")} of ${(inbox.logs().length + dropped).toLocaleString("en-US")} console lines`] : []);
    settle({status: "ok", logs: inbox.logs(), value: undefined, error: null, durationMs, ...outcome, cut});
  }

  channel.port1.onmessage = ({data}: MessageEvent<unknown>) => {
    const received = inbox.receive(data);
    switch (received.kind) {
      case "ready":
        requestedAt = performance.now();
        clearTimeout(timer);
        timer = setTimeout(() => {
          const seconds = timeout / 1000;
          finish({status: "timeout", durationMs: timeout, error: failure("timeout", "TimeoutError", `stopped after ${seconds} s: the code was still running (an endless loop, or a promise that never settles?)`)});
        }, timeout);
        channel.port1.postMessage({code, parameters, ...(grade ? {grade} : {})} satisfies RunRequest);
        return;
      case "logs":
        if (received.added.length) onLog?.(received.added);
        return;
      case "done":
        finish({status: received.error ? "error" : "ok", value: received.value, error: received.error, cut: received.cut});
        return;
      case "invalid":
        finish({status: "error", error: failure("runtime", "RunnerError", `the experiment sent a message this page does not accept (${received.reason}); the run was ended`)});
    }
  };

  // The frame's bootstrap (not the reader's code) may say its worker failed; nothing else.
  function fromFrame(event: MessageEvent<unknown>) {
    if (event.source !== frame.contentWindow) return;
    const {data} = event;
    const message = typeof data === "object" && data !== null && (data as {type?: unknown}).type === "failed" ? (data as {message?: unknown}).message : undefined;
    if (typeof message !== "string") return;
    finish({status: "error", error: failure("runtime", "Error", message.slice(0, 2000) || "the experiment worker failed")});
  }
  addEventListener("message", fromFrame);

  Promise.all([loadWorker(), sandboxFile.url()]).then(
    ([worker, url]) => {
      if (finished) return;
      frame.addEventListener(
        "load",
        () => {
          loaded = true;
          if (!finished) frame.contentWindow?.postMessage({worker}, "*", [channel.port2]);
        },
        {once: true}
      );
      frame.src = url;
      document.body.append(frame);
    },
    (error: unknown) => finish({status: "error", error: failure("runtime", "Error", String((error as Error)?.message ?? error))})
  );

  return {
    result,
    stop: () => finish({status: "stopped", durationMs: requestedAt ? performance.now() - requestedAt : 0, error: failure("stopped", "Stopped", "stopped by the reader")})
  };
}

/** Runs an experiment to its end (for callers that need no Stop). */
export function runExperiment(code: string, options: RunOptions = {}): Promise<ExperimentResult> {
  return startRun(code, options).result;
}
