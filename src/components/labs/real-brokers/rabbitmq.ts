// The work-queue experiment behind `npm run experiment`, written once against amqplib's API so it
// runs unchanged on the simulated broker (amqplib.ts) and on a real RabbitMQ (the amqplib
// package). A crasher takes messages with its prefetch, handles some, and dies without acking;
// RabbitMQ requeues what it held (at the original positions) and a worker handles everything.
// Every count is deterministic on a real broker too: the queue is filled before anyone consumes.
// The run records its history (publishes and their confirms, every delivery with its delivery tag
// and redelivered flag, every ack, the crash), and the summary is the checker's verdict on it.
import {checkHistory} from "../../history/check.js";
import {HistoryRecorder, messageId, wallClock} from "../../history/history.js";
import {messageAt, summarize, type ExperimentSummary, type Progress, type RecordedRun, type WaitUntil} from "./summary.js";

export interface QueueExperimentParameters {
  messages: number;
  keys: number;
  crasherPrefetch: number;
  /** Messages the crasher handles (side effect done, no ack) before its channel dies. */
  handledBeforeCrash: number;
  workerPrefetch: number;
}

// The slice of amqplib's promise API the experiment uses: both clients satisfy it.
interface AmqpMessage {
  content: Uint8Array;
  fields: {redelivered: boolean; deliveryTag: number};
}
interface AmqpChannel {
  assertQueue(queue: string, options?: {durable?: boolean; autoDelete?: boolean}): Promise<unknown>;
  deleteQueue(queue: string): Promise<unknown>;
  checkQueue(queue: string): Promise<{messageCount: number}>;
  sendToQueue(queue: string, content: never, options?: object): boolean;
  waitForConfirms(): Promise<void>;
  prefetch(count: number): Promise<unknown>;
  consume(queue: string, onMessage: (msg: AmqpMessage | null) => void): Promise<unknown>;
  ack(message: never): void;
  close(): Promise<void>;
}
export interface AmqpConnection {
  createChannel(): Promise<unknown>;
  createConfirmChannel(): Promise<unknown>;
  close(): Promise<void>;
}

export interface QueueExperimentOptions {
  broker: string;
  waitUntil: WaitUntil;
  queue?: string;
  onProgress?: Progress;
  /** Message bodies: amqplib in Node wants a Buffer (Buffer.from), the simulation any bytes. */
  toContent?: (text: string) => Uint8Array;
  /** The history's clock: virtual time on the simulation (() => sim.now), else real ms since the start. */
  clock?: () => number;
}

export async function runQueueExperiment(connection: AmqpConnection, p: QueueExperimentParameters, options: QueueExperimentOptions): Promise<ExperimentSummary> {
  return (await recordQueueExperiment(connection, p, options)).summary;
}

/** The experiment with its history and the checker's verdict. */
export async function recordQueueExperiment(
  connection: AmqpConnection,
  p: QueueExperimentParameters,
  {broker, waitUntil, queue = `workbook-experiment-${Date.now().toString(36)}`, onProgress, toContent = (text) => new TextEncoder().encode(text), clock = wallClock()}: QueueExperimentOptions
): Promise<RecordedRun> {
  if (p.handledBeforeCrash > Math.min(p.crasherPrefetch, p.messages)) {
    throw new RangeError(`handledBeforeCrash (${p.handledBeforeCrash}) must be at most crasherPrefetch and messages (${Math.min(p.crasherPrefetch, p.messages)})`);
  }
  const encode = (value: unknown) => toContent(JSON.stringify(value)) as never;
  const decode = (msg: AmqpMessage) => JSON.parse(new TextDecoder().decode(msg.content)) as {key: string; seq: number};
  const history = new HistoryRecorder(clock);
  const sent = Array.from({length: p.messages}, (_, i) => messageAt(i, p.keys)).map(({key, seq}) => ({key, seq, message: messageId(key, seq)}));
  const publisher = (await connection.createConfirmChannel()) as AmqpChannel;
  await publisher.assertQueue(queue, {durable: false});
  for (const m of sent) {
    history.record({type: "produce", phase: "invoke", producer: "publisher", ...m});
    publisher.sendToQueue(queue, encode({key: m.key, seq: m.seq}));
  }
  // Confirms arrive as (virtual or real) time passes: wait for them the same way on both.
  let confirmed = false;
  let refused: unknown = null;
  publisher.waitForConfirms().then(() => (confirmed = true), (error) => (refused = error));
  await waitUntil(() => confirmed || refused !== null, "publisher confirms");
  // waitForConfirms settles once for the whole batch: every publish is confirmed, or one was refused.
  for (const m of sent) history.record({type: "produce", phase: refused ? "fail" : "ok", producer: "publisher", ...m});
  if (refused) throw refused;

  const deliver = (consumer: string, msg: AmqpMessage) => {
    const {key, seq} = decode(msg);
    history.record({type: "deliver", consumer, message: messageId(key, seq), key, seq, redelivered: msg.fields.redelivered, deliveryTag: msg.fields.deliveryTag});
    return messageId(key, seq);
  };
  const crasher = (await connection.createChannel()) as AmqpChannel;
  await crasher.prefetch(p.crasherPrefetch);
  let handled = 0;
  await crasher.consume(queue, (msg) => {
    if (!msg || handled >= p.handledBeforeCrash) return; // the process is already dying
    deliver("crasher", msg);
    handled++;
  });
  await waitUntil(() => handled >= p.handledBeforeCrash, "the crasher to handle its messages");
  history.record({type: "crash", process: "crasher"});
  await crasher.close();

  const worker = (await connection.createChannel()) as AmqpChannel;
  await worker.prefetch(p.workerPrefetch);
  let acked = 0;
  await worker.consume(queue, (msg) => {
    if (!msg) return;
    const message = deliver("worker", msg);
    worker.ack(msg as never);
    history.record({type: "ack", consumer: "worker", message, deliveryTag: msg.fields.deliveryTag});
    acked++;
    onProgress?.(acked, p.messages);
  });
  await waitUntil(() => acked >= p.messages, "the worker to acknowledge every message");
  const {messageCount} = await publisher.checkQueue(queue);
  await worker.close();
  await publisher.deleteQueue(queue);
  await publisher.close();
  const verdict = checkHistory(history.operations);
  return {summary: summarize(verdict, broker, messageCount), history: history.operations, verdict};
}
