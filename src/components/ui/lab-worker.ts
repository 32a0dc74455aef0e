// A lab's experiments run in a module worker, so a control stays live while the lab computes:
// the page asks for a run by experiment name and parameters; a newer request for the same
// experiment supersedes the one in flight (its worker is terminated and its promise rejects with
// a SupersededError). The worker sends back what the page draws (the experiment's `view` of its
// result, small enough to copy quickly) and the metrics its claims read, never the whole run.
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
let running = 0;
const busy = (delta: number) => document.documentElement.toggleAttribute("data-lab-running", (running += delta) > 0);

/** The page's side: `run(name, parameters)` in a worker loaded from `url`. */
export function labWorker(url: string | Promise<string>): (name: string, parameters: Parameters) => Promise<LabRun> {
  const inFlight = new Map<string, {worker: Worker; reject: (error: Error) => void}>();
  let idle: Worker[] = [];
  let ids = 0;
  return async (name, parameters) => {
    const previous = inFlight.get(name);
    if (previous) {
      previous.worker.terminate();
      previous.reject(new SupersededError(`a newer run of ${name} replaced this one`));
    }
    const worker = idle.pop() ?? new Worker(await url, {type: "module"});
    const id = ++ids;
    busy(+1);
    return new Promise<LabRun>((resolve, reject) => {
      inFlight.set(name, {worker, reject});
      const settle = () => {
        if (inFlight.get(name)?.worker === worker) inFlight.delete(name);
        idle.push(worker);
      };
      worker.onmessage = ({data}: MessageEvent<Reply>) => {
        if (data.id !== id) return;
        settle();
        if ("run" in data) resolve(data.run);
        else reject(Object.assign(new Error(data.error.message), {name: data.error.name}));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        inFlight.delete(name);
        idle = idle.filter((w) => w !== worker);
        worker.terminate();
        reject(new Error(`the lab's worker failed: ${event.message || "it could not be loaded"}`));
      };
      worker.postMessage({id, name, parameters} satisfies Request);
    }).finally(() => busy(-1));
  };
}
