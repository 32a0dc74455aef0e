// `npm run experiment`: the RabbitMQ scenarios give the same summary on the simulation and on a
// real RabbitMQ (started by test/setup/rabbitmq.ts); the Kafka scenarios run the kafkajs code path
// against the simulator's kafkajs-shaped facade. `--compare` prints both side by side and agrees;
// `npm run record`'s recordings (data/recorded/) are what the real broker does today.
// RECORD=1 writes data/recorded/ again from the test node (see scripts/record.ts).
import {spawnSync} from "node:child_process";
import {readdirSync, readFileSync} from "node:fs";
import {describe, expect, inject, it, beforeAll} from "vitest";
import {waitForRabbitMQ} from "./rabbitmq-ready.js";
import {loadScenario} from "../../scripts/data.js";
import {compareScenario, formatComparison, formatRun, recordScenario, runScenario} from "../../scripts/experiment.js";
import {formatRecording, record, recordAll, recordedScenarios, scenarioHash, type Recording} from "../../scripts/record.js";

const url = inject("amqpUrl");
const skipReason = inject("rabbitmqSkip");
const scenarios = readdirSync("data/scenarios").map((f) => f.replace(/\.json$/, "")).map((name) => ({name, scenario: loadScenario<{kind: string; title: string; seed: number; parameters: Record<string, unknown>}>(name)}));
const rabbitmq = scenarios.filter((s) => s.scenario.kind === "rabbitmq");
const kafka = scenarios.filter((s) => s.scenario.kind === "kafka");

describe("npm run experiment on the simulation", () => {
  it.each(kafka.map((s) => [s.name, s.scenario] as const))("%s: the kafkajs path on the facade shows the duplicates of a crash before commit", async (_, scenario) => {
    const summary = await runScenario(scenario);
    const p = scenario.parameters as {messages: number; handledBeforeCrash: number};
    expect(summary).toMatchObject({broker: "simulation", deliveries: p.messages + p.handledBeforeCrash, duplicates: p.handledBeforeCrash, lag: 0});
    expect(await runScenario(scenario)).toEqual(summary);
  });

  it("refuses a broker of the wrong kind, and a bad URL", async () => {
    await expect(runScenario(rabbitmq[0].scenario, "kafka://127.0.0.1:9092")).rejects.toThrow(/is a RabbitMQ scenario/);
    await expect(runScenario(kafka[0].scenario, "amqp://127.0.0.1")).rejects.toThrow(/is a Kafka scenario/);
    await expect(runScenario(kafka[0].scenario, "http://x")).rejects.toThrow(/--broker must be sim/);
    await expect(compareScenario(rabbitmq[0].scenario, "sim")).rejects.toThrow(/--compare compares the simulation with a real broker: give --broker amqp:/);
  });

  it("npm run record says what it needs instead of starting a broker", () => {
    const {AMQP_URL: _, ...env} = process.env;
    const result = spawnSync("node_modules/.bin/tsx", ["scripts/record.ts"], {env, encoding: "utf8"});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/npm run record needs a real RabbitMQ: set AMQP_URL=amqp:\/\/user:password@host:port .*it starts none itself/);
  });

  it("prints each run's summary with the checker's counts and the causes of its duplicates", async () => {
    const text = formatRun(await recordScenario(kafka[0].scenario));
    const p = kafka[0].scenario.parameters as {handledBeforeCrash: number};
    expect(text).toMatch(new RegExp(`\\nchecker\\.duplicates +${p.handledBeforeCrash}\\n`));
    expect(text).toMatch(new RegExp(`\\nchecker\\.causes +crash ${p.handledBeforeCrash}$`));
  });
});

describe.skipIf(!url)(`npm run experiment: simulation = real RabbitMQ (${url ? url : "skipped: " + skipReason})`, () => {
  beforeAll(() => waitForRabbitMQ(url));

  it.each(rabbitmq.map((s) => [s.name, s.scenario] as const))("%s", async (_, scenario) => {
    const simulated = await runScenario(scenario);
    const real = await runScenario(scenario, url);
    expect({...real, broker: "-"}).toEqual({...simulated, broker: "-"});
  });

  it.each(rabbitmq.map((s) => [s.name, s.scenario] as const))("%s --compare: side by side, the checker's verdicts too, and they agree", async (_, scenario) => {
    const compared = await compareScenario(scenario, url);
    expect(compared.real.brokerVersion).toMatch(/^\d+\.\d+/);
    expect(compared.rows.map((r) => r.field)).toEqual(["deliveries", "duplicates", "redelivered", "orderViolations", "lag", "checker.lost", "checker.duplicated", "checker.duplicates", "checker.reordered", "checker.uncommittedReads"]);
    expect(compared.differences).toEqual([]);
    expect(compared.agree).toBe(true);
    // The crash's duplicates are found on both, and explained by the crash on both.
    for (const run of [compared.simulation, compared.real]) expect(run.verdict.duplicated.map((d) => d.causes[0].kind)).toEqual(new Array((scenario.parameters as {handledBeforeCrash: number}).handledBeforeCrash).fill("crash"));
    const text = formatComparison(compared);
    if (process.env.SHOW) console.log(text);
    expect(text).toMatch(/^\s+simulation\s+amqp:\/\/.* \(RabbitMQ \d/);
    expect(text).toMatch(/\nverdict: they agree; the checker finds the same on both: 0 lost, \d+ duplicates \(crash \d+\), \d+ reordered, 0 uncommitted reads$/);
  });

  it.runIf(process.env.RECORD === "1")("RECORD=1: writes data/recorded/ from this broker", async () => {
    const written = await recordAll(url);
    expect(written).toEqual(rabbitmq.map((s) => `data/recorded/${s.name}.json`).sort());
  });

  it("the recordings in data/recorded/ are of today's scenario files and today's broker behaviour", async () => {
    const names = recordedScenarios();
    expect(names).toEqual(rabbitmq.map((s) => s.name).sort());
    for (const name of names) {
      const committed = JSON.parse(readFileSync(`data/recorded/${name}.json`, "utf8")) as Recording;
      expect(committed.scenarioHash).toBe(scenarioHash(name));
      const fresh = await record(name, url);
      expect({...fresh.summary, broker: "-"}).toEqual({...committed.summary, broker: "-"});
      expect(fresh.checker).toEqual(committed.checker);
      // Same operations in the same order; only the real times differ.
      const untimed = (r: Recording) => r.history.map(({time: _, ...op}) => op);
      expect(untimed(fresh)).toEqual(untimed(committed));
      expect(formatRecording(fresh)).toMatch(/^\{\n  "scenario": /);
    }
  });
});

it.runIf(!url && process.env.CI === "true")("CI must run the real-broker comparison", () => {
  throw new Error(`no RabbitMQ for the experiment comparison: ${skipReason}`);
});
