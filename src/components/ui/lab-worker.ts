// A lab's experiments run in a module worker, so a control stays live while the lab computes:
// the page asks for a run by experiment name and parameters; per experiment one run is in flight
// and at most one waits, a newer request replacing the waiting one (whose promise rejects with a
// SupersededError; see labWorker). The worker sends back what the page draws (the experiment's
// `view` of its result, small enough to copy quickly) and the metrics its claims read, never the
// whole run.
// Same code, same seed: the numbers equal the ones Node observes for the claims.
// A page whose first runs came with it (first-runs.ts) has the worker run each experiment once at
// its defaults as the reader comes near its controls, result dropped: the first runs of a cold
// worker (its code not yet compiled) took several times as long as the later ones, and a dragged
// slider's first steps waited for them.
import {measure, type Experiment, type Observed, type Parameters} from "../claims/claim.js";
import {forget, whenNear} from "./near.js";

/** An experiment whose page draws from a compact view of the result. */
export type ViewedExperiment<R = unknown, V = unknown> = Experiment<R> & {view: (result: R) => V};

export interface LabRun<V = unknown> {
  observed: Observed;
  view: V;
}

/** `warm`: run only to ready the worker's code; the reply carries no run. */
type Request = {id: number; name: string; parameters: Parameters; warm?: boolean};
type Reply = {id: number; run?: LabRun} | {id: number; error: {name: string; message: string}};

export class SupersededError extends Error {
  override name = "SupersededError";
}

/** What a run looks like in the page: the same in the worker and on the main thread. */
export async function runView<R, V>(experiment: ViewedExperiment<R, V>, parameters: Parameters): Promise<LabRun<V>> {
  const result = await experiment.run(parameters);
  return {observed: measure(experiment, result), view: experiment.view(result)};
}

/** Any lab's experiments, whatever their result types. */
type LabExperiments = Record<string, {run: (parameters: Parameters) => unknown; metrics: Record<string, (result: never) => number | boolean>; view: (result: never) => unknown}>;

/** The worker's side: answers run requests for these experiments. */
export function serveLab(experiments: LabExperiments): void {
  const scope = globalThis as unknown as {onmessage: ((event: MessageEvent<Request>) => void) | null; postMessage: (reply: Reply) => void};
  scope.onmessage = async ({data: {id, name, parameters, warm}}) => {
    try {
      const experiment = experiments[name];
      if (!experiment) throw new Error(`no experiment "${name}" in this lab`);
      const run = await runView(experiment as unknown as ViewedExperiment, parameters);
      scope.postMessage(warm ? {id} : {id, run});
    } catch (error) {
      scope.postMessage({id, error: {name: (error as Error)?.name ?? "Error", message: (error as Error)?.message ?? String(error)}});
    }
  };
}

// While any lab runs, <html data-lab-running>: styles may show it, and tests wait for it to clear.
// It clears a frame after the run's result is handed over, once the page has drawn it: cleared
// at once, a test could see the page idle (no run, no mutation for a while) before the redraw.
// (A lab's worker may itself hand runs to helper workers: there is no document there to mark.)
let running = 0;
const mark = () => void (typeof document === "undefined" || document.documentElement.toggleAttribute("data-lab-running", running > 0));
const busy = (delta: number) => {
  if (delta > 0 || typeof requestAnimationFrame !== "function") return void ((running += delta), mark());
  requestAnimationFrame(() => setTimeout(() => ((running += delta), mark())));
};

interface Pending {
  parameters: Parameters;
  resolve: (run: LabRun) => void;
  reject: (error: Error) => void;
}

/** What settles when the worker replies: a warm run's reply carries no run. */
interface Replied {
  resolve: (run?: LabRun) => void;
  reject: (error: Error) => void;
}

/** A lab's experiments in its worker, as the page runs them (labWorker). */
export type LabRunner = ((name: string, parameters: Parameters) => Promise<LabRun>) & {
  /** Loads the worker ahead of its first run; a failure shows at that run. */
  load: () => void;
  /** Runs the experiment once, result dropped, when the worker is free (see labWorker). */
  warm: (name: string, parameters: Parameters) => void;
};

/** How long the worker must have been asked nothing (a run, a warm run) before a warm run starts:
 * a dragged slider asks every few tens of ms, and a reader scrolling past labs queues them fast. */
const WARM_AFTER_MS = 500;

/**
 * The page's side: `run(name, parameters)` in one worker loaded from `url`. Per experiment, one
 * run is in flight and at most one waits: a newer request replaces the waiting one (whose promise
 * rejects with a SupersededError), so a dragged slider shows a result at most one run old and
 * never queues up a run per input event. `name` becomes the worker's `self.name`.
 * `warm(name, parameters)` queues one run whose result is dropped, once per experiment (none for
 * one the reader already ran): one at a time, the one asked for last first (the lab the reader
 * came to last, or back to), and only when no run is in flight and nothing was asked for
 * WARM_AFTER_MS, so a reader's run waits behind at most one warm run. Warm runs do not mark the
 * page busy.
 */
export function labWorker(url: string | Promise<string>, {name}: {name?: string} = {}): LabRunner {
  let worker: Promise<Worker> | undefined;
  const replies = new Map<number, Replied>();
  const inFlight = new Set<string>();
  const waiting = new Map<string, Pending>();
  const toWarm = new Map<string, Parameters>();
  /** Experiments that ran or are queued to, warm or for the reader: none is warmed after that. */
  const warmed = new Set<string>();
  let warming = false;
  let lastAsked = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ids = 0;

  const failAll = (error: Error) => {
    const pending = [...replies.values(), ...waiting.values()];
    // Cleared first: a rejection's callbacks must not start a run, or a warm run, in the failed worker.
    replies.clear();
    waiting.clear();
    inFlight.clear();
    toWarm.clear(); // a broken worker is not reloaded but by the reader's own run
    worker = undefined; // the next run starts a fresh worker
    for (const p of pending) p.reject(error);
  };

  const spawn = async () => {
    const created = new Worker(await url, {type: "module", name});
    created.onmessage = ({data}: MessageEvent<Reply>) => {
      const replied = replies.get(data.id);
      if (!replied) return;
      replies.delete(data.id);
      if ("error" in data) replied.reject(Object.assign(new Error(data.error.message), {name: data.error.name}));
      else replied.resolve(data.run);
    };
    created.onerror = (event) => {
      event.preventDefault();
      created.terminate();
      failAll(new Error(`the lab's worker failed: ${event.message || "it could not be loaded"}`));
    };
    return created;
  };

  /** Sends a request (loading the worker first if need be); `replied` settles with its reply. */
  const post = async (request: Omit<Request, "id">, replied: Replied) => {
    const id = ++ids;
    replies.set(id, replied);
    try {
      (await (worker ??= spawn())).postMessage({id, ...request} satisfies Request);
    } catch (error) {
      replies.get(id)?.reject(error as Error);
      replies.delete(id);
    }
  };

  const warmNext = () => {
    clearTimeout(timer);
    if (warming || inFlight.size > 0 || toWarm.size === 0) return; // a run's end calls this again
    const wait = lastAsked + WARM_AFTER_MS - performance.now();
    if (wait > 0) return void (timer = setTimeout(warmNext, wait));
    const [name, parameters] = [...toWarm].at(-1)!;
    toWarm.delete(name);
    warming = true;
    const finish = () => ((warming = false), warmNext());
    void post({name, parameters, warm: true}, {resolve: finish, reject: finish});
  };

  const start = (name: string, pending: Pending) => {
    inFlight.add(name);
    busy(+1);
    const done = () => {
      busy(-1);
      inFlight.delete(name);
      const next = waiting.get(name);
      if (next) {
        waiting.delete(name);
        start(name, next);
      } else warmNext();
    };
    void post(
      {name, parameters: pending.parameters},
      {resolve: (run) => (done(), pending.resolve(run!)), reject: (error) => (done(), pending.reject(error))}
    );
  };

  const run = (name: string, parameters: Parameters) =>
    new Promise<LabRun>((resolve, reject) => {
      lastAsked = performance.now();
      warmed.add(name); // the reader's own run readies its code
      toWarm.delete(name);
      const pending = {parameters, resolve, reject};
      if (!inFlight.has(name)) return start(name, pending);
      waiting.get(name)?.reject(new SupersededError(`a newer run of ${name} replaced this one`));
      waiting.set(name, pending);
    });
  const load = () => void (worker ??= spawn()).catch(() => undefined);
  const warm = (name: string, parameters: Parameters) => {
    if (warmed.has(name) && !toWarm.has(name)) return;
    warmed.add(name);
    load(); // the script loads at once; the run waits for a pause
    toWarm.delete(name); // asked again (the reader came back to it): it goes first
    toWarm.set(name, parameters);
    lastAsked = performance.now();
    warmNext();
  };
  return Object.assign(run, {load, warm});
}

/** A run as the page shows it: the parameters it was computed for, and its result or error. */
export type ShownRun<V = unknown> = {parameters: Parameters} & ({run: LabRun<V>; error?: undefined} | {error: Error; run?: undefined});

/**
 * The runs of an experiment as its controls move, as a generator for a page cell: it yields each
 * run as it completes (one in flight, the newest input next), so the charts follow a dragged
 * slider with results at most one run old while the control itself never waits. Built like
 * Observable's Generators.observe: a value that arrives before the page asks is kept, the newest wins.
 * `first`, the run for `defaults` computed at build (runView in a data loader), is shown while the
 * controls stand at the defaults: nothing runs for the page until the reader moves a control, but
 * as the reader comes near the controls (and whenever what is near changes, until then)
 * `warm(defaults)` readies the worker (LabRunner.warm).
 */
export function* liveRuns<V>(input: HTMLElement & {value: Parameters}, run: (parameters: Parameters) => Promise<LabRun>, defaults: Parameters = {}, first?: LabRun<V>, warm?: (parameters: Parameters) => void): Generator<ShownRun<V> | Promise<ShownRun<V>>> {
  let resolve: ((shown: ShownRun<V>) => void) | null = null;
  let latest: ShownRun<V> | null = null;
  const show = (shown: ShownRun<V>) => {
    if (resolve) resolve(shown), (resolve = null);
    else latest = shown;
  };
  const onInput = () => {
    forget(input); // the reader's own runs ready the worker now
    const parameters = {...defaults, ...input.value};
    run(parameters).then(
      (result) => show({parameters, run: result as LabRun<V>}),
      (error: Error) => error instanceof SupersededError || show({parameters, error})
    );
  };
  input.addEventListener("input", onInput);
  const parameters = {...defaults, ...input.value};
  if (first && JSON.stringify(parameters) === JSON.stringify(defaults)) {
    show({parameters, run: first});
    if (warm) whenNear(input, () => warm(defaults));
  } else onInput();
  try {
    for (;;) {
      if (latest) {
        const shown: ShownRun<V> = latest;
        latest = null;
        yield shown;
      } else {
        yield new Promise<ShownRun<V>>((r) => (resolve = r));
      }
    }
  } finally {
    input.removeEventListener("input", onInput);
    forget(input);
  }
}
