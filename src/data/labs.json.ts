// Build-time loader for the instructors' page: what each lab file in data/scenarios/ lets a
// course change, read from the files themselves so the page can never drift from them. (Each
// file is validated, and its claims run, by the scenario loader that builds it.) One row per
// experiment; its claims and presets counted with arquero from one row per claim and per preset.
import {loadScenario, scenarioNames} from "../../scripts/data.js";
import type {LabScenario} from "../components/claims/claim.js";
import {aq, op} from "../components/tables/arquero.js";

const labs = scenarioNames()
  .map((name) => ({file: `data/scenarios/${name}.json`, scenario: loadScenario<LabScenario | {kind: string}>(name)}))
  .filter((entry): entry is {file: string; scenario: LabScenario} => entry.scenario.kind === "lab");
const experiments = labs.flatMap(({file, scenario}) => Object.entries(scenario.experiments).map(([experiment, e]) => ({file, page: scenario.page, experiment, e})));

const key = ["file", "experiment"];
const count = (rows: {file: string; experiment: string}[], name: string) => aq.from(rows).groupby(key).rollup({[name]: op.count()});
const claims = count(experiments.flatMap(({file, experiment, e}) => e.claims.map(() => ({file, experiment}))), "claims");
const presets = count(experiments.flatMap(({file, experiment, e}) => (e.presets ?? []).map(() => ({file, experiment}))), "presets");

const rows = aq
  .from(experiments.map(({file, page, experiment, e}) => ({file, page, experiment, "parameters you can set": Object.keys(e.parameters).join(", ")})))
  .join_left(presets, [key, key])
  .join_left(claims, [key, key])
  // An experiment without presets (or claims) has no row to join: none.
  .derive({presets: (d: {presets: number | undefined}) => d.presets ?? 0, claims: (d: {claims: number | undefined}) => d.claims ?? 0})
  .objects();

process.stdout.write(JSON.stringify(rows));
