// `npm run record`: runs every RabbitMQ scenario of data/scenarios/ on a real RabbitMQ and writes
// what it saw to data/recorded/<scenario>.json: the broker's version (from the AMQP connection's
// server properties), the date, a hash of the scenario file, the summary, the checker's counts
// and the whole history. The build (src/data/recorded.json.ts) fails while a recording's hash is
// not its scenario file's: change a scenario, record again.
//
// It starts no broker: give one with AMQP_URL (or --broker amqp://host:port). With Debian's
// rabbitmq-server installed and no AMQP_URL, `RECORD=1 npx vitest run test/real/experiment.test.ts`
// boots a private node the way the tests do (test/setup/rabbitmq.ts) and records against it.
import {createHash} from "node:crypto";
import {readFileSync, writeFileSync} from "node:fs";
import {isDeepStrictEqual, parseArgs} from "node:util";
import {checkHistory, type Verdict} from "../src/components/history/check.js";
import {tally, type Tally} from "../src/components/history/tally.js";
import type {History} from "../src/components/history/history.js";
import {summarize, type ExperimentSummary} from "../src/components/labs/real-brokers/summary.js";
import {loadData, loadScenario, scenarioNames} from "./data.js";
import {recordScenario} from "./experiment.js";

const projectRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** A real run as data/recorded/<scenario>.json keeps it (data/recorded/recorded.schema.json). */
export interface Recording {
  scenario: string;
  /** sha256 of data/scenarios/<scenario>.json as it was when recorded. */
  scenarioHash: string;
  broker: "RabbitMQ";
  brokerVersion: string;
  /** ISO 8601. */
  recordedAt: string;
  summary: ExperimentSummary;
  checker: Tally;
  history: History;
}

/** The content hash of a scenario file (git keeps no mtimes). */
export function scenarioHash(name: string, root = projectRoot): string {
  return `sha256:${createHash("sha256").update(readFileSync(`${root}/data/scenarios/${name}.json`)).digest("hex")}`;
}

/** The scenarios `npm run record` records: every one of kind "rabbitmq". */
export const recordedScenarios = (root = projectRoot): string[] => scenarioNames(root).filter((name) => loadScenario<{kind: string}>(name).kind === "rabbitmq");

type Scenario = Parameters<typeof recordScenario>[0];

export async function record(name: string, url: string, now = new Date()): Promise<Recording> {
  const run = await recordScenario(loadScenario<Scenario>(name), url);
  const brokerVersion = run.brokerVersion ?? "unknown";
  return {
    scenario: name,
    scenarioHash: scenarioHash(name),
    broker: "RabbitMQ",
    brokerVersion,
    recordedAt: now.toISOString(),
    // The URL (with its credentials and a test node's port) stays out of the file.
    summary: {...run.summary, broker: `RabbitMQ ${brokerVersion}`},
    checker: tally(run.verdict),
    history: run.history
  };
}

/** Pretty JSON with one history operation a line: readable, and diffs stay small. */
export function formatRecording(recording: Recording): string {
  const {history, ...rest} = recording;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, "");
  return `${head},\n  "history": [\n${history.map((op) => `    ${JSON.stringify(op)}`).join(",\n")}\n  ]\n}\n`;
}

const again = "record it again with `npm run record` (it needs a RabbitMQ: AMQP_URL=amqp://user:password@host:port)";

/**
 * data/recorded/<name>.json, checked: present, valid against its schema, recorded from the
 * scenario file as it is now (same content hash), and saying what the checker reads in its own
 * history. Anything else throws, with what to do.
 */
export function loadRecording(name: string, root = projectRoot): Recording & {verdict: Verdict} {
  const file = `data/recorded/${name}.json`;
  let recording: Recording;
  try {
    recording = loadData<Recording>(`recorded/${name}`, "recorded/recorded", root);
  } catch (error) {
    throw new Error(`${(error as NodeJS.ErrnoException).code === "ENOENT" ? `${file} is missing` : (error as Error).message}: ${again}`);
  }
  if (recording.scenarioHash !== scenarioHash(name, root)) throw new Error(`${file} was recorded from an older data/scenarios/${name}.json (its hash differs): ${again}`);
  const verdict = checkHistory(recording.history);
  if (!isDeepStrictEqual(tally(verdict), recording.checker) || !isDeepStrictEqual(summarize(verdict, recording.summary.broker, recording.summary.lag), recording.summary)) {
    throw new Error(`${file}: its summary or checker counts are not what the checker reads in its history: ${again}`);
  }
  return {...recording, verdict};
}

export async function recordAll(url: string, root = projectRoot): Promise<string[]> {
  const written: string[] = [];
  for (const name of recordedScenarios(root)) {
    const file = `data/recorded/${name}.json`;
    writeFileSync(`${root}/${file}`, formatRecording(await record(name, url)));
    written.push(file);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const {values} = parseArgs({options: {broker: {type: "string", default: process.env.AMQP_URL ?? ""}}});
  if (!/^amqp:\/\/[^/]+/.test(values.broker)) {
    console.error("npm run record needs a real RabbitMQ: set AMQP_URL=amqp://user:password@host:port (or pass --broker amqp://...); it starts none itself");
    process.exit(2);
  }
  try {
    for (const file of await recordAll(values.broker)) console.log(`wrote ${file}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
