// `npm run experiment -- <scenario | path.json> [--broker sim | amqp://host:port | kafka://host:port] [--compare] [--json]`
// Runs a scenario of kind "rabbitmq" or "kafka" from data/scenarios/ on the simulation (the
// default) or on a real broker, through the same workload code, and prints the same summary and
// the checker's verdict on the run's history. `--compare` runs it on both and prints them side by
// side, with whether they agree and, where they do not, which field and why.
import {parseArgs} from "node:util";
import * as amqplib from "amqplib";
import {Kafka as RealKafka, logLevel} from "kafkajs";
import {advanceUntil, createSimulation, type Simulation} from "../src/components/sim/index.js";
import {createBroker} from "../src/components/rabbitmq/broker.js";
import {connect as connectSimulated} from "../src/components/rabbitmq/amqplib.js";
import {Kafka as SimulatedKafka} from "../src/components/kafka/kafkajs.js";
import {recordQueueExperiment, type AmqpConnection, type QueueExperimentParameters} from "../src/components/labs/real-brokers/rabbitmq.js";
import {recordLogExperiment, type KafkaClient, type LogExperimentParameters} from "../src/components/labs/real-brokers/kafka.js";
import {agreement, type Agreement, type ExperimentSummary, type Progress, type RecordedRun, type WaitUntil} from "../src/components/labs/real-brokers/summary.js";
import {describeCauses, tally} from "../src/components/history/tally.js";
import {existsSync} from "node:fs";
import {loadScenario, scenarioNames} from "./data.js";

interface Scenario {
  title: string;
  kind: string;
  seed: number | string;
  parameters: Record<string, unknown>;
}

const RUNNABLE = new Set(["rabbitmq", "kafka"]);

/** The scenarios in data/scenarios/ that npm run experiment runs (kinds rabbitmq and kafka). */
export function knownScenarios(): string[] {
  return scenarioNames().filter((name) => RUNNABLE.has(loadScenario<Scenario>(name).kind));
}

/** A scenario by name or path; an unknown one is answered with the names this command knows. */
export function findScenario(nameOrPath: string): Scenario {
  if (nameOrPath.endsWith(".json")) {
    if (!existsSync(nameOrPath)) throw new Error(`no scenario file ${nameOrPath}`);
  } else if (!scenarioNames().includes(nameOrPath)) {
    throw new Error(`no scenario "${nameOrPath}" in data/scenarios/; npm run experiment knows: ${knownScenarios().join(", ")}`);
  }
  return loadScenario<Scenario>(nameOrPath);
}

/** Virtual time: advance the simulation until the condition holds. */
export function simulatedWait(sim: Simulation, limitMs = 3_600_000): WaitUntil {
  return (done, what) => advanceUntil(sim, done, {limitMs, what});
}

/** Real time: poll until the condition holds. */
export function realWait(limitMs = 120_000): WaitUntil {
  return async (done, what) => {
    const start = Date.now();
    while (!done()) {
      if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what} after ${limitMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
}

export async function runScenario(scenario: Scenario, broker = "sim", onProgress?: Progress): Promise<ExperimentSummary> {
  return (await recordScenario(scenario, broker, onProgress)).summary;
}

/** A scenario's run with its history and verdict, and the broker's version when it is a real RabbitMQ. */
export async function recordScenario(scenario: Scenario, broker = "sim", onProgress?: Progress): Promise<RecordedRun & {brokerVersion?: string}> {
  if (broker !== "sim" && !/^(amqp|kafka):\/\/[^/]+/.test(broker)) throw new Error(`--broker must be sim, amqp://host:port or kafka://host:port, got "${broker}"`);
  if (scenario.kind === "rabbitmq") {
    if (broker.startsWith("kafka://")) throw new Error(`scenario "${scenario.title}" is a RabbitMQ scenario: use --broker sim or amqp://host:port`);
    const p = scenario.parameters as unknown as QueueExperimentParameters;
    if (broker === "sim") {
      const sim = createSimulation({seed: scenario.seed});
      const connection = await connectSimulated("amqp://simulated", {broker: createBroker(sim)});
      return recordQueueExperiment(connection as unknown as AmqpConnection, p, {broker: "simulation", waitUntil: simulatedWait(sim), queue: "workbook-experiment", onProgress, clock: () => sim.now});
    }
    const connection = await amqplib.connect(broker);
    try {
      const run = await recordQueueExperiment(connection as unknown as AmqpConnection, p, {broker, waitUntil: realWait(), onProgress, toContent: (text) => Buffer.from(text)});
      return {...run, brokerVersion: String(connection.connection.serverProperties.version ?? "unknown")};
    } finally {
      await connection.close();
    }
  }
  if (scenario.kind === "kafka") {
    if (broker.startsWith("amqp://")) throw new Error(`scenario "${scenario.title}" is a Kafka scenario: use --broker sim or kafka://host:port`);
    const p = scenario.parameters as unknown as LogExperimentParameters;
    if (broker === "sim") {
      const sim = createSimulation({seed: scenario.seed});
      const kafka = new SimulatedKafka({clientId: "workbook-experiment", sim});
      return recordLogExperiment(kafka as unknown as KafkaClient, p, {broker: "simulation", waitUntil: simulatedWait(sim), topic: "workbook-experiment", onProgress, clock: () => sim.now});
    }
    const kafka = new RealKafka({clientId: "workbook-experiment", brokers: [broker.slice("kafka://".length)], logLevel: logLevel.WARN});
    return recordLogExperiment(kafka as unknown as KafkaClient, p, {broker, waitUntil: realWait(), onProgress});
  }
  throw new Error(`scenario "${scenario.title}" is of kind "${scenario.kind}"; npm run experiment runs kinds "rabbitmq" and "kafka"`);
}

/** The scenario on the simulation and on `broker`, side by side. */
export async function compareScenario(scenario: Scenario, broker: string, onProgress?: Progress): Promise<{simulation: RecordedRun; real: RecordedRun & {brokerVersion?: string}} & Agreement> {
  if (broker === "sim") throw new Error("--compare compares the simulation with a real broker: give --broker amqp://host:port or kafka://host:port");
  const simulation = await recordScenario(scenario, "sim");
  const real = await recordScenario(scenario, broker, onProgress);
  return {simulation, real, ...agreement(simulation, real)};
}

/** One run's summary and the checker's counts, a line each. */
export function formatRun(run: RecordedRun): string {
  const t = tally(run.verdict);
  const {causes: _, ...counts} = t;
  const lines = [...Object.entries(run.summary), ...Object.entries(counts).map(([k, v]) => [`checker.${k}`, v]), ["checker.causes", describeCauses(t)]];
  return lines.map(([k, v]) => `${String(k).padEnd(26)} ${v}`).join("\n");
}

/** The side-by-side table, then the verdict: agree, or each field that differs and why. */
export function formatComparison({simulation, real, rows, agree, differences}: Awaited<ReturnType<typeof compareScenario>>): string {
  const width = Math.max(12, real.summary.broker.length);
  const head = `${"".padEnd(26)} ${"simulation".padEnd(width)} ${real.summary.broker}${real.brokerVersion ? ` (RabbitMQ ${real.brokerVersion})` : ""}`;
  const body = rows.map((r) => `${r.field.padEnd(26)} ${String(r.simulation).padEnd(width)} ${r.real}${r.agree ? "" : "   <- differs"}`);
  const t = tally(simulation.verdict);
  const found = t.valid ? "no anomaly" : `${t.lost} lost, ${t.duplicates} duplicates (${describeCauses(t)}), ${t.reordered} reordered, ${t.uncommittedReads} uncommitted reads`;
  const verdict = agree
    ? [`verdict: they agree; the checker finds the same on both: ${found}`]
    : ["verdict: they disagree", ...differences.map((d) => `  ${d.field}: ${d.simulation} on the simulation, ${d.real} on the real broker: ${d.why}`)];
  return [head, ...body, "", ...verdict].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const {values, positionals} = parseArgs({allowPositionals: true, options: {broker: {type: "string", default: "sim"}, compare: {type: "boolean", default: false}, json: {type: "boolean", default: false}}});
  if (positionals.length !== 1) {
    console.error("usage: npm run experiment -- <scenario | path.json> [--broker sim | amqp://host:port | kafka://host:port] [--compare] [--json]");
    process.exit(2);
  }
  try {
    const scenario = findScenario(positionals[0]);
    let shown = -1;
    const progress: Progress = (done, total) => {
      const decile = Math.floor((10 * done) / total);
      if (decile !== shown && process.stderr.isTTY !== undefined) {
        shown = decile;
        process.stderr.write(`\r${scenario.title}: ${done}/${total}`);
      }
    };
    if (values.compare) {
      const compared = await compareScenario(scenario, values.broker, progress);
      process.stderr.write("\n");
      const {simulation, real, ...rest} = compared;
      if (values.json) console.log(JSON.stringify({...rest, simulation: {summary: simulation.summary, checker: tally(simulation.verdict)}, real: {summary: real.summary, brokerVersion: real.brokerVersion, checker: tally(real.verdict)}}));
      else console.log(formatComparison(compared));
      process.exitCode = compared.agree ? 0 : 3;
    } else {
      const run = await recordScenario(scenario, values.broker, progress);
      process.stderr.write("\n");
      if (values.json) console.log(JSON.stringify({...run.summary, checker: tally(run.verdict)}));
      else console.log(formatRun(run));
    }
  } catch (error) {
    console.error(`\n${(error as Error).message}`);
    process.exit(1);
  }
}
