// Build-time: a lab's first runs, each named experiment's view and metrics at the defaults of the
// page's scenario, by the worker's own code (runView: same seed, same numbers). Data loaders in
// src/data/ call it; the page draws the runs at once (liveRuns' `first`) and loads its lab's worker
// only when the reader comes near a lab (issue 15 §2: a page preloads at most 600 KB).
import type {LabScenario} from "../claims/claim.js";
import {runView, type LabRun, type ViewedExperiment} from "./lab-worker.js";

export async function firstRuns(scenario: LabScenario, experiments: Record<string, unknown>, names: readonly string[]): Promise<Record<string, LabRun>> {
  const runs: Record<string, LabRun> = {};
  for (const name of names) {
    if (!(name in experiments) || !(name in scenario.experiments)) throw new Error(`no experiment "${name}" in the lab and its scenario`);
    runs[name] = await runView(experiments[name] as ViewedExperiment, scenario.experiments[name].parameters);
  }
  return runs;
}
