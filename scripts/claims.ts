// The claims of every lab file in data/scenarios/, run in Node against their labs.
//   npm run claims            a table, and exit 1 when a claim does not hold
//   npm run claims -- --json  one JSON line per claim: {"id", "page", "holds", "observed"}
// The build (src/data/scenarios/[scenario].json.ts) and `npm test` use the same functions.
import {parseArgs} from "node:util";
import {pathToFileURL} from "node:url";
import {labProblems, runClaim, type ClaimOutcome, type Experiment, type LabScenario} from "../src/components/claims/claim.js";
import {loadScenario, scenarioNames} from "./data.js";

const projectRoot = new URL("..", import.meta.url).pathname;

export interface Lab {
  /** The scenario file's name in data/scenarios/. */
  name: string;
  scenario: LabScenario;
  experiments: Record<string, Experiment<never>>;
}

/** Every scenario file of kind "lab". */
export function labNames(): string[] {
  return scenarioNames().filter((name) => loadScenario<{kind: string}>(name).kind === "lab");
}

/** A lab file with its lab's experiments (src/components/labs/<lab>/index.ts), checked beyond its schema. */
export async function loadLab(name: string): Promise<Lab> {
  const file = `data/scenarios/${name}.json`;
  const scenario = loadScenario<LabScenario>(name);
  const module = (await import(pathToFileURL(`${projectRoot}src/components/labs/${scenario.lab}/index.ts`).href).catch((error: Error) => {
    throw new Error(`${file}: lab: no lab "${scenario.lab}" in src/components/labs/ (${error.message})`);
  })) as {experiments: Record<string, Experiment<never>>};
  const problems = labProblems(file, scenario, module.experiments);
  if (problems.length) throw new Error(`${file} is invalid:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return {name, scenario, experiments: module.experiments};
}

export interface ClaimReport extends ClaimOutcome {
  id: string;
  page: string;
  experiment: string;
  text: string;
}

/** Runs every claim of one lab file. */
export async function runLabClaims({scenario, experiments}: Lab): Promise<ClaimReport[]> {
  const reports: ClaimReport[] = [];
  for (const [name, exp] of Object.entries(scenario.experiments)) {
    for (const claim of exp.claims) {
      const outcome = await runClaim(experiments[name], exp, claim).catch((error: Error): ClaimOutcome => ({observed: {}, holds: false, failures: [`the run failed: ${error.message}`]}));
      reports.push({id: claim.id, page: scenario.page, experiment: name, text: claim.text, ...outcome});
    }
  }
  return reports;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const {values} = parseArgs({options: {json: {type: "boolean", default: false}}});
  let failed = 0;
  for (const name of labNames()) {
    for (const report of await runLabClaims(await loadLab(name))) {
      if (!report.holds) failed++;
      if (values.json) console.log(JSON.stringify({id: report.id, page: report.page, holds: report.holds, observed: report.observed}));
      else console.log(`${report.holds ? "holds " : "FAILS "} ${report.page.padEnd(28)} ${report.id}${report.holds ? "" : `\n        ${report.failures.join("\n        ")}`}`);
    }
  }
  if (failed) {
    if (!values.json) console.error(`${failed} claim(s) do not hold`);
    process.exitCode = 1;
  }
}
