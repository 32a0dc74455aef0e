// `npm run experiment`: the RabbitMQ scenarios give the same summary on the simulation and on a
// real RabbitMQ (started by test/setup/rabbitmq.ts); the Kafka scenarios run the kafkajs code path
// against the simulator's kafkajs-shaped facade.
import {readdirSync} from "node:fs";
import {describe, expect, inject, it, beforeAll} from "vitest";
import {waitForRabbitMQ} from "./rabbitmq-ready.js";
import {loadScenario} from "../../scripts/data.js";
import {runScenario} from "../../scripts/experiment.js";

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
  });
});

describe.skipIf(!url)(`npm run experiment: simulation = real RabbitMQ (${url ? url : "skipped: " + skipReason})`, () => {
  beforeAll(() => waitForRabbitMQ(url));

  it.each(rabbitmq.map((s) => [s.name, s.scenario] as const))("%s", async (_, scenario) => {
    const simulated = await runScenario(scenario);
    const real = await runScenario(scenario, url);
    expect({...real, broker: "-"}).toEqual({...simulated, broker: "-"});
  });
});

it.runIf(!url && process.env.CI === "true")("CI must run the real-broker comparison", () => {
  throw new Error(`no RabbitMQ for the experiment comparison: ${skipReason}`);
});
