// Build-time loader: 11.3's first runs (ui/first-runs.ts). Comparisons run when pressed, so none here.
import {loadScenario} from "../../scripts/data.js";
import type {LabScenario} from "../components/claims/claim.js";
import {experiments} from "../components/labs/brokers/index.js";
import {firstRuns} from "../components/ui/first-runs.js";

const comparisons = new Set(["protocolComparison", "prefetchComparison"]);
const names = Object.keys(experiments).filter((name) => !comparisons.has(name));
process.stdout.write(JSON.stringify(await firstRuns(loadScenario<LabScenario>("brokers"), experiments, names)));
