// Build-time loader: every RabbitMQ scenario's run recorded on a real RabbitMQ (data/recorded/,
// written by `npm run record`), beside the simulation's run of the same scenario. The build fails
// when a recording is missing, malformed, recorded from an older scenario file (its content hash
// differs), or says something its own history does not (the checker reads the history again).
import {isDeepStrictEqual} from "node:util";
import {checkHistory, tally} from "../components/history/check.js";
import {agreement, summarize, type RecordedComparison} from "../components/labs/real-brokers/summary.js";
import {loadData, loadScenario} from "../../scripts/data.js";
import {recordScenario} from "../../scripts/experiment.js";
import {recordedScenarios, scenarioHash, type Recording} from "../../scripts/record.js";

const again = "record it again with `npm run record` (it needs a RabbitMQ: AMQP_URL=amqp://user:password@host:port)";

async function compare(name: string): Promise<RecordedComparison> {
  const file = `data/recorded/${name}.json`;
  let recording: Recording;
  try {
    recording = loadData<Recording>(`recorded/${name}`, "recorded/recorded");
  } catch (error) {
    throw new Error(`${(error as NodeJS.ErrnoException).code === "ENOENT" ? `${file} is missing` : (error as Error).message}: ${again}`);
  }
  if (recording.scenarioHash !== scenarioHash(name)) throw new Error(`${file} was recorded from an older data/scenarios/${name}.json (its hash differs): ${again}`);
  const verdict = checkHistory(recording.history);
  const checked = summarize(verdict, recording.summary.broker, recording.summary.lag);
  if (!isDeepStrictEqual(tally(verdict), recording.checker) || !isDeepStrictEqual(checked, recording.summary)) {
    throw new Error(`${file}: its summary or checker counts are not what the checker reads in its history: ${again}`);
  }
  const scenario = loadScenario<Parameters<typeof recordScenario>[0]>(name);
  const simulation = await recordScenario(scenario, "sim");
  const {agree, rows, differences} = agreement(simulation, {summary: recording.summary, history: recording.history, verdict});
  return {scenario: name, title: scenario.title, brokerVersion: recording.brokerVersion, recordedAt: recording.recordedAt, agree, rows, differences};
}

const recorded: RecordedComparison[] = [];
for (const name of recordedScenarios()) recorded.push(await compare(name));
process.stdout.write(JSON.stringify(recorded));
