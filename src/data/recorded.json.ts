// Build-time loader: every RabbitMQ scenario's run recorded on a real RabbitMQ (data/recorded/,
// written by `npm run record`), beside the simulation's run of the same scenario. The build fails
// when a recording is missing, malformed, recorded from an older scenario file (its content hash
// differs), or says something its own history does not (scripts/record.ts loadRecording).
//
// A page shows it with `const recorded = FileAttachment("data/recorded.json").json()`: an array
// of RecordedComparison (labs/real-brokers/summary.ts), each with the side-by-side `rows`.
import {agreement, type RecordedComparison} from "../components/labs/real-brokers/summary.js";
import {loadScenario} from "../../scripts/data.js";
import {recordScenario} from "../../scripts/experiment.js";
import {loadRecording, recordedScenarios} from "../../scripts/record.js";

async function compare(name: string): Promise<RecordedComparison> {
  const recording = loadRecording(name);
  const scenario = loadScenario<Parameters<typeof recordScenario>[0]>(name);
  const simulation = await recordScenario(scenario, "sim");
  const {agree, rows, differences} = agreement(simulation, recording);
  return {scenario: name, title: scenario.title, brokerVersion: recording.brokerVersion, recordedAt: recording.recordedAt, agree, rows, differences};
}

const recorded: RecordedComparison[] = [];
for (const name of recordedScenarios()) recorded.push(await compare(name));
process.stdout.write(JSON.stringify(recorded));
