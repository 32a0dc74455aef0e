// Build-time loader for data/scenarios/<scenario>.json, validated against its JSON Schema. A lab
// file (kind "lab") is also checked against its lab, and every claim is run: the page gets each
// claim's observed metrics (the numbers its sentence quotes), and a claim that is malformed or
// does not hold fails the build, naming the file, the claim and what was observed.
import {parseArgs} from "node:util";
import {loadScenario} from "../../../scripts/data.js";
import {loadLab, runLabClaims} from "../../../scripts/claims.js";

const {values} = parseArgs({options: {scenario: {type: "string"}}});
if (!values.scenario) throw new Error("the scenario loader needs --scenario");
const scenario = loadScenario<{kind: string}>(values.scenario);
if (scenario.kind !== "lab") {
  process.stdout.write(JSON.stringify(scenario));
} else {
  const reports = await runLabClaims(await loadLab(values.scenario));
  const failing = reports.filter((r) => !r.holds);
  if (failing.length) throw new Error(`data/scenarios/${values.scenario}.json: ${failing.length} claim(s) do not hold:\n${failing.map((r) => `  ${r.id}: ${r.failures.join("; ")}`).join("\n")}`);
  process.stdout.write(JSON.stringify({...scenario, observed: Object.fromEntries(reports.map((r) => [r.id, r.observed]))}));
}
