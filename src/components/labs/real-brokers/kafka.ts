// The consumer-group experiment behind `npm run experiment`, written once against kafkajs's API
// so it runs unchanged on the simulated cluster (kafkajs.ts) and on a real Kafka (kafkajs).
// A member handles some records and dies before committing; a new member of the same group
// starts again from the last committed offset (here: none, so from the beginning).
// The run records its history (the produce request and its answer, every record read with its
// partition and offset, every commit, the crash), and the summary is the checker's verdict on it.
import {checkHistory} from "../../history/check.js";
import {HistoryRecorder, messageId, wallClock} from "../../history/history.js";
import {messageAt, summarize, type ExperimentSummary, type Progress, type RecordedRun, type WaitUntil} from "./summary.js";

export interface LogExperimentParameters {
  partitions: number;
  messages: number;
  keys: number;
  /** Records the first member handles before it dies without committing. */
  handledBeforeCrash: number;
}

// The slice of kafkajs's API the experiment uses: the real client and the facade satisfy it.
interface KafkaMessage {
  offset: string;
  key: {toString(): string} | null;
  value: {toString(): string} | null;
}
interface KafkaConsumer {
  connect(): Promise<void>;
  subscribe(options: {topics: string[]; fromBeginning?: boolean}): Promise<void>;
  run(config: {autoCommit?: boolean; eachMessage: (payload: {topic: string; partition: number; message: KafkaMessage}) => Promise<void>}): Promise<void>;
  commitOffsets(offsets: {topic: string; partition: number; offset: string}[]): Promise<void>;
  disconnect(): Promise<void>;
}
export interface KafkaClient {
  admin(): {
    connect(): Promise<void>;
    createTopics(options: {topics: {topic: string; numPartitions?: number}[]}): Promise<boolean>;
    fetchTopicOffsets(topic: string): Promise<{partition: number; high: string}[]>;
    fetchOffsets(options: {groupId: string; topics: string[]}): Promise<{topic: string; partitions: {partition: number; offset: string}[]}[]>;
    disconnect(): Promise<void>;
  };
  producer(): {connect(): Promise<void>; send(record: {topic: string; messages: {key: string; value: string}[]}): Promise<unknown>; disconnect(): Promise<void>};
  consumer(config: {groupId: string}): KafkaConsumer;
}

export interface LogExperimentOptions {
  broker: string;
  waitUntil: WaitUntil;
  topic?: string;
  onProgress?: Progress;
  /** The history's clock: virtual time on the simulation (() => sim.now), else real ms since the start. */
  clock?: () => number;
}

export async function runLogExperiment(kafka: KafkaClient, p: LogExperimentParameters, options: LogExperimentOptions): Promise<ExperimentSummary> {
  return (await recordLogExperiment(kafka, p, options)).summary;
}

/** The experiment with its history and the checker's verdict. */
export async function recordLogExperiment(
  kafka: KafkaClient,
  p: LogExperimentParameters,
  {broker, waitUntil, topic = `workbook-experiment-${Date.now().toString(36)}`, onProgress, clock = wallClock()}: LogExperimentOptions
): Promise<RecordedRun> {
  if (p.handledBeforeCrash > p.messages) throw new RangeError(`handledBeforeCrash (${p.handledBeforeCrash}) must be at most messages (${p.messages})`);
  const groupId = `${topic}-group`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic, numPartitions: p.partitions}]});
  const producer = kafka.producer();
  await producer.connect();
  const history = new HistoryRecorder(clock);
  const messages = Array.from({length: p.messages}, (_, i) => messageAt(i, p.keys)).map(({key, seq}) => ({key, seq, message: messageId(key, seq)}));
  for (const m of messages) history.record({type: "produce", phase: "invoke", producer: "producer", ...m});
  // One send: its answer acknowledges every record, or its error leaves them all unknown (it may have been written).
  const sent = await producer.send({topic, messages: messages.map((m) => ({key: m.key, value: JSON.stringify({key: m.key, seq: m.seq})}))}).then(
    () => "ok" as const,
    (error) => error as Error
  );
  for (const m of messages) history.record({type: "produce", phase: sent === "ok" ? "ok" : "info", producer: "producer", ...m});
  if (sent !== "ok") throw sent;
  await producer.disconnect();

  const handle = (consumer: string, partition: number, message: KafkaMessage) => {
    const {key, seq} = JSON.parse(String(message.value)) as {key: string; seq: number};
    history.record({type: "deliver", consumer, message: messageId(key, seq), key, seq, redelivered: false, partition, offset: Number(message.offset)});
  };
  const first = kafka.consumer({groupId});
  await first.connect();
  await first.subscribe({topics: [topic], fromBeginning: true});
  let handled = 0;
  await first.run({
    autoCommit: false,
    eachMessage: async ({partition, message}) => {
      if (handled >= p.handledBeforeCrash) return; // the process is already dying
      handle("first", partition, message);
      handled++;
    }
  });
  await waitUntil(() => handled >= p.handledBeforeCrash, "the first member to handle its records");
  history.record({type: "crash", process: "first"});
  await first.disconnect();

  const second = kafka.consumer({groupId});
  await second.connect();
  await second.subscribe({topics: [topic], fromBeginning: true});
  let done = 0;
  await second.run({
    autoCommit: false,
    eachMessage: async ({topic: t, partition, message}) => {
      handle("second", partition, message);
      await second.commitOffsets([{topic: t, partition, offset: String(Number(message.offset) + 1)}]);
      history.record({type: "commit", consumer: "second", partition, offset: Number(message.offset) + 1});
      done++;
      onProgress?.(done, p.messages);
    }
  });
  await waitUntil(() => done >= p.messages, "the second member to handle every record");
  await second.disconnect();
  // Lag: the log end minus the group's committed offset, over the partitions.
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({groupId, topics: [topic]});
  const lag = ends.reduce((sum, e) => {
    const c = Number(committed?.partitions.find((x) => x.partition === e.partition)?.offset ?? -1);
    return sum + Number(e.high) - Math.max(0, c);
  }, 0);
  await admin.disconnect();
  // A record re-read after the crash is a redelivery in Kafka's terms (the checker counts a read of
  // a partition and offset read before): the offset was never committed.
  const verdict = checkHistory(history.operations);
  return {summary: summarize(verdict, broker, lag), history: history.operations, verdict};
}
