// The recorded real runs (data/recorded/) and what the build checks about them, and the
// side-by-side agreement of a simulated and a real run.
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {checkHistory} from "../../../src/components/history/check.js";
import {agreement} from "../../../src/components/labs/real-brokers/summary.js";
import {loadScenario} from "../../../scripts/data.js";
import {recordScenario} from "../../../scripts/experiment.js";
import {loadRecording, recordedScenarios} from "../../../scripts/record.js";

const name = "work-queue-crash";
let root = "";
/** A project root in a temp dir with the recording's files, the scenario file changed by `edit`. */
function project(edit: (scenario: string) => string = (s) => s, recorded = true): string {
  root = mkdtempSync(join(tmpdir(), "recorded-"));
  mkdirSync(join(root, "data/scenarios"), {recursive: true});
  cpSync("data/scenario.schema.json", join(root, "data/scenario.schema.json"));
  writeFileSync(join(root, `data/scenarios/${name}.json`), edit(readFileSync(`data/scenarios/${name}.json`, "utf8")));
  mkdirSync(join(root, "data/recorded"));
  cpSync("data/recorded/recorded.schema.json", join(root, "data/recorded/recorded.schema.json"));
  if (recorded) cpSync(`data/recorded/${name}.json`, join(root, `data/recorded/${name}.json`));
  return root;
}
afterEach(() => void (root && rmSync(root, {recursive: true, force: true})));

describe("data/recorded/", () => {
  it("holds a current recording of every RabbitMQ scenario", () => {
    const names = recordedScenarios();
    expect(names).toContain(name);
    for (const n of names) expect(loadRecording(n).brokerVersion).toMatch(/^\d+\.\d+/);
  });

  it("fails when the scenario file changed since the recording (content hash, not mtime)", () => {
    expect(() => loadRecording(name, project())).not.toThrow();
    expect(() => loadRecording(name, project((s) => s.replace('"seed": 1', '"seed": 2')))).toThrow(/data\/recorded\/work-queue-crash\.json was recorded from an older data\/scenarios\/work-queue-crash\.json .*npm run record.*AMQP_URL/);
  });

  it("fails when the recording is missing, or says what its history does not", () => {
    expect(() => loadRecording(name, project((s) => s, false))).toThrow(/work-queue-crash\.json is missing: record it again with `npm run record`/);
    const dir = project();
    const file = join(dir, `data/recorded/${name}.json`);
    writeFileSync(file, readFileSync(file, "utf8").replace('"duplicates": 4', '"duplicates": 3'));
    expect(() => loadRecording(name, dir)).toThrow(/not what the checker reads in its history/);
    writeFileSync(file, readFileSync(file, "utf8").replace('"brokerVersion": "', '"brokerVersion": 3, "x": "'));
    expect(() => loadRecording(name, dir)).toThrow(/is invalid:[\s\S]*\/brokerVersion: must be string/);
  });
});

describe("agreement(simulation, real)", () => {
  it("names the field that differs and why, from the histories", async () => {
    const simulation = await recordScenario(loadScenario(name), "sim");
    expect(agreement(simulation, simulation)).toMatchObject({agree: true, differences: []});
    // A "real" run in which the worker never got order-2#5.
    const history = simulation.history.filter((op) => !(op.type === "deliver" && op.message === "order-2#5"));
    const real = {summary: {...simulation.summary, broker: "amqp://x", deliveries: simulation.summary.deliveries - 1}, history, verdict: checkHistory(history)};
    const {agree, differences} = agreement(simulation, real);
    expect(agree).toBe(false);
    expect(differences.map((d) => d.field)).toEqual(["deliveries", "checker.lost"]);
    expect(differences[0].why).toMatch(/^the real broker handed 1 fewer messages to the consumers; the histories first differ where, on amqp:\/\/x, /);
    expect(differences[1]).toMatchObject({simulation: 0, real: 1});
    expect(differences[1].why).toMatch(/^acknowledged messages never delivered; only on the real broker: order-2#5;/);
  });
});
