// Build-time loader for data/scenarios/<scenario>.json, validated against data/scenario.schema.json.
import {parseArgs} from "node:util";
import {loadScenario} from "../../../scripts/data.js";

const {values} = parseArgs({options: {scenario: {type: "string"}}});
if (!values.scenario) throw new Error("the scenario loader needs --scenario");
process.stdout.write(JSON.stringify(loadScenario(values.scenario)));
