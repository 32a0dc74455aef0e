// 11.3's work queue as the claims and the comparisons run it: the agents with the crash the
// parameters ask for, and the run's history with the checker's verdicts on it.
import type {History} from "../../history/history.js";
import type {Verdict} from "../../history/check.js";
import {checkTasks, taskHistory} from "./task-history.js";
import {runWorkQueue, type Worker, type WorkQueueRun} from "./work-queue.js";

export interface WorkQueueParameters {
  seed: number | string;
  tickets: number;
  ratePerSecond: number;
  prefetch: number;
  agents: Worker[];
  /** Whether crashingAgent's channel closes at crashAtMs. */
  crash: boolean;
  crashingAgent: string;
  crashAtMs: number;
  sampleMs: number;
}

export interface WorkQueueExperimentRun extends WorkQueueRun {
  parameters: WorkQueueParameters;
  /** The broker's deliveries as a history (what compareRuns aligns), and the checker's verdicts on deliveries and handlings. */
  history: History;
  verdicts: {delivered: Verdict; handled: Verdict};
}

export async function runWorkQueueExperiment(p: WorkQueueParameters): Promise<WorkQueueExperimentRun> {
  if (!p.agents.some((a) => a.name === p.crashingAgent)) throw new RangeError(`crashingAgent ${p.crashingAgent} is none of the agents (${p.agents.map((a) => a.name).join(", ")})`);
  const workers = p.agents.map((a) => (p.crash && a.name === p.crashingAgent ? {...a, crashAtMs: p.crashAtMs} : a));
  const run = await runWorkQueue({...p, workers});
  return {...run, parameters: p, history: taskHistory(run.deliveries, {workers}), verdicts: checkTasks(run.deliveries, {workers})};
}

