// Build-time loader: 11.4's first runs, each experiment's view and metrics at its defaults, by the
// worker's own code (lab-worker.ts runView; same seed, same numbers). The page draws them at once
// and starts its lab's worker, with the model and arquero, only when the reader first moves a
// control (issue 15 §2: a page preloads at most 600 KB). Comparisons run when pressed, so none here.
import {loadScenario} from "../../scripts/data.js";
import {runView, type LabRun, type ViewedExperiment} from "../components/ui/lab-worker.js";
import type {LabScenario} from "../components/claims/claim.js";
import {experiments} from "../components/labs/ordering/index.js";

const comparisons = new Set(["commitIntervals", "idempotenceCompare", "isolationCompare"]);
const scenario = loadScenario<LabScenario>("ordering-and-idempotency");
const runs: Record<string, LabRun> = {};
for (const [name, experiment] of Object.entries(experiments)) {
  if (!comparisons.has(name)) runs[name] = await runView(experiment as unknown as ViewedExperiment, scenario.experiments[name].parameters);
}
process.stdout.write(JSON.stringify(runs));
