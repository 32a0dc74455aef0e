// Build-time loader for the instructors' page: what each lab file in data/scenarios/ lets a
// course change, read from the files themselves so the page can never drift from them. (Each
// file is validated, and its claims run, by the scenario loader that builds it.)
import {loadScenario, scenarioNames} from "../../scripts/data.js";
import type {LabScenario} from "../components/claims/claim.js";

const labs = scenarioNames()
  .map((name) => ({name, scenario: loadScenario<LabScenario | {kind: string}>(name)}))
  .filter((entry): entry is {name: string; scenario: LabScenario} => entry.scenario.kind === "lab")
  .map(({name, scenario}) => ({
    file: `data/scenarios/${name}.json`,
    page: scenario.page,
    title: scenario.title,
    experiments: Object.entries(scenario.experiments).map(([experiment, e]) => ({
      experiment,
      parameters: Object.keys(e.parameters),
      presets: (e.presets ?? []).length,
      claims: e.claims.length
    }))
  }));

process.stdout.write(JSON.stringify(labs));
