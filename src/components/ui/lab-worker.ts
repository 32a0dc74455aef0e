// A lab's experiments run in a module worker, so a control stays live while the lab computes:
// the page asks for a run by experiment name and parameters; per experiment one run is in flight
// and at most one waits, a newer request replacing the waiting one (whose promise rejects with a
// SupersededError; see labWorker). The worker sends back what the page draws (the experiment's
// `view` of its result, small enough to copy quickly) and the metrics its claims read, never the
// whole run.
// Same code, same seed: the numbers equal the ones Node observes for the claims.
import {measure, type Experiment, type Observed, type Parameters} from "../claims/claim.js";

/** An experiment whose page draws from a compact view of the result. */
export type ViewedExperiment<R = unknown, V = unknown> = Experiment<R> & {view: (result: R) => V};

export interface LabRun<V = unknown> {
  observed: Observed;
  view: V;
}

type Request = {id: number; name: string; parameters: Parameters};
type Reply = {id: number; run: LabRun} | {id: number; error: {name: string; message: string}};

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
  scope.onmessage = async ({data: {id, name, parameters}}) => {
    try {
      const experiment = experiments[name];
      if (!experiment) throw new Error(`no experiment "${name}" in this lab`);
      scope.postMessage({id, run: await runView(experiment as unknown as ViewedExperiment, parameters)});
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

/**
 * The page's side: `run(name, parameters)` in one worker loaded from `url`. Per experiment, one
 * run is in flight and at most one waits: a newer request replaces the waiting one (whose promise
 * rejects with a SupersededError), so a dragged slider shows a result at most one run old and
 * never queues up a run per input event. `name` becomes the worker's `self.name`.
 */
export function labWorker(url: string | Promise<string>, {name}: {name?: string} = {}): ((name: string, parameters: Parameters) => Promise<LabRun>) & {warm: () => void} {
  let worker: Promise<Worker> | undefined;
  const replies = new Map<number, Pending>();
  const inFlight = new Set<string>();
  const waiting = new Map<string, Pending>();
  let ids = 0;

  const failAll = (error: Error) => {
    for (const pending of [...replies.values(), ...waiting.values()]) pending.reject(error);
    replies.clear();
    waiting.clear();
    inFlight.clear();
    worker = undefined; // the next run starts a fresh worker
  };

  const spawn = async () => {
    const created = new Worker(await url, {type: "module", name});
    created.onmessage = ({data}: MessageEvent<Reply>) => {
      const pending = replies.get(data.id);
      if (!pending) return;
      replies.delete(data.id);
      if ("run" in data) pending.resolve(data.run);
      else pending.reject(Object.assign(new Error(data.error.message), {name: data.error.name}));
    };
    created.onerror = (event) => {
      event.preventDefault();
      created.terminate();
      failAll(new Error(`the lab's worker failed: ${event.message || "it could not be loaded"}`));
    };
    return created;
  };

  const start = async (name: string, pending: Pending) => {
    inFlight.add(name);
    busy(+1);
    const id = ++ids;
    const done = () => {
      busy(-1);
      inFlight.delete(name);
      const next = waiting.get(name);
      if (next) {
        waiting.delete(name);
        void start(name, next);
      }
    };
    replies.set(id, {
      parameters: pending.parameters,
      resolve: (run) => (done(), pending.resolve(run)),
      reject: (error) => (done(), pending.reject(error))
    });
    try {
      (await (worker ??= spawn())).postMessage({id, name, parameters: pending.parameters} satisfies Request);
    } catch (error) {
      replies.get(id)?.reject(error as Error);
      replies.delete(id);
    }
  };

  const run = (name: string, parameters: Parameters) =>
    new Promise<LabRun>((resolve, reject) => {
      const pending = {parameters, resolve, reject};
      if (!inFlight.has(name)) return void start(name, pending);
      waiting.get(name)?.reject(new SupersededError(`a newer run of ${name} replaced this one`));
      waiting.set(name, pending);
    });
  /** Loads the worker ahead of its first run (a page whose first runs came with it, as the reader reaches for a control); a failure shows at that run. */
  const warm = () => void (worker ??= spawn()).catch(() => undefined);
  return Object.assign(run, {warm});
}

/** Loads a page's lab worker as the reader reaches for a control (pointer down or focus in a form), so its first run starts warm. */
export function warmOnReach(run: {warm: () => void}, root: HTMLElement): void {
  for (const type of ["pointerdown", "focusin"]) root.addEventListener(type, (event) => (event.target as Element).closest?.("form") && run.warm());
}

/** A run as the page shows it: the parameters it was computed for, and its result or error. */
export type ShownRun<V = unknown> = {parameters: Parameters} & ({run: LabRun<V>; error?: undefined} | {error: Error; run?: undefined});

/**
 * The runs of an experiment as its controls move, as a generator for a page cell: it yields each
 * run as it completes (one in flight, the newest input next), so the charts follow a dragged
 * slider with results at most one run old while the control itself never waits. Built like
 * Observable's Generators.observe: a value that arrives before the page asks is kept, the newest wins.
 * `first`, the run for `defaults` computed at build (runView in a data loader), is shown while the
 * controls stand at the defaults: nothing runs, and the worker does not even load, until the reader
 * moves a control.
 */
export function* liveRuns<V>(input: HTMLElement & {value: Parameters}, run: (parameters: Parameters) => Promise<LabRun>, defaults: Parameters = {}, first?: LabRun<V>): Generator<ShownRun<V> | Promise<ShownRun<V>>> {
  let resolve: ((shown: ShownRun<V>) => void) | null = null;
  let latest: ShownRun<V> | null = null;
  const show = (shown: ShownRun<V>) => {
    if (resolve) resolve(shown), (resolve = null);
    else latest = shown;
  };
  const onInput = () => {
    const parameters = {...defaults, ...input.value};
    run(parameters).then(
      (result) => show({parameters, run: result as LabRun<V>}),
      (error: Error) => error instanceof SupersededError || show({parameters, error})
    );
  };
  input.addEventListener("input", onInput);
  const parameters = {...defaults, ...input.value};
  if (first && JSON.stringify(parameters) === JSON.stringify(defaults)) show({parameters, run: first});
  else onInput();
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
  }
}
