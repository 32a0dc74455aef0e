// The work-queue experiment behind `npm run experiment`, written once against amqplib's API so it
// runs unchanged on the simulated broker (amqplib.ts) and on a real RabbitMQ (the amqplib
// package). A crasher takes messages with its prefetch, handles some, and dies without acking;
// RabbitMQ requeues what it held (at the original positions) and a worker handles everything.
// Every count is deterministic on a real broker too: the queue is filled before anyone consumes.
import {DeliveryLog, messageAt, type ExperimentSummary, type Progress, type WaitUntil} from "./summary.js";

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
  fields: {redelivered: boolean};
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

export async function runQueueExperiment(
  connection: AmqpConnection,
  p: QueueExperimentParameters,
  {broker, waitUntil, queue = `workbook-experiment-${Date.now().toString(36)}`, onProgress, toContent = (text) => new TextEncoder().encode(text)}: {
    broker: string;
    waitUntil: WaitUntil;
    queue?: string;
    onProgress?: Progress;
    /** Message bodies: amqplib in Node wants a Buffer (Buffer.from), the simulation any bytes. */
    toContent?: (text: string) => Uint8Array;
  }
): Promise<ExperimentSummary> {
  if (p.handledBeforeCrash > Math.min(p.crasherPrefetch, p.messages)) {
    throw new RangeError(`handledBeforeCrash (${p.handledBeforeCrash}) must be at most crasherPrefetch and messages (${Math.min(p.crasherPrefetch, p.messages)})`);
  }
  const encode = (value: unknown) => toContent(JSON.stringify(value)) as never;
  const decode = (msg: AmqpMessage) => JSON.parse(new TextDecoder().decode(msg.content)) as {key: string; seq: number};
  const publisher = (await connection.createConfirmChannel()) as AmqpChannel;
  await publisher.assertQueue(queue, {durable: false});
  for (let i = 0; i < p.messages; i++) publisher.sendToQueue(queue, encode(messageAt(i, p.keys)));
  // Confirms arrive as (virtual or real) time passes: wait for them the same way on both.
  let confirmed = false;
  let refused: unknown = null;
  publisher.waitForConfirms().then(() => (confirmed = true), (error) => (refused = error));
  await waitUntil(() => confirmed || refused !== null, "publisher confirms");
  if (refused) throw refused;

  const log = new DeliveryLog();
  const crasher = (await connection.createChannel()) as AmqpChannel;
  await crasher.prefetch(p.crasherPrefetch);
  let handled = 0;
  await crasher.consume(queue, (msg) => {
    if (!msg || handled >= p.handledBeforeCrash) return; // the process is already dying
    const {key, seq} = decode(msg);
    log.record(key, seq, msg.fields.redelivered);
    handled++;
  });
  await waitUntil(() => handled >= p.handledBeforeCrash, "the crasher to handle its messages");
  await crasher.close();

  const worker = (await connection.createChannel()) as AmqpChannel;
  await worker.prefetch(p.workerPrefetch);
  let acked = 0;
  await worker.consume(queue, (msg) => {
    if (!msg) return;
    const {key, seq} = decode(msg);
    log.record(key, seq, msg.fields.redelivered);
    worker.ack(msg as never);
    acked++;
    onProgress?.(acked, p.messages);
  });
  await waitUntil(() => acked >= p.messages, "the worker to acknowledge every message");
  const {messageCount} = await publisher.checkQueue(queue);
  await worker.close();
  await publisher.deleteQueue(queue);
  await publisher.close();
  return log.summary(broker, messageCount);
}
