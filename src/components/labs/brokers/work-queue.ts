// The 11.3 queue workloads, written against the amqplib-shaped facade as cell code would be.
// runWorkQueue: tasks published to a queue and shared by competing workers with a prefetch;
// a worker may crash mid-task, and RabbitMQ then redelivers its unacknowledged tasks.
// routeMessage: which queues one publish reaches, for each exchange type.
import {createSimulation} from "../../sim/index.js";
import type {FlowEdge, FlowMessage, FlowNode} from "../../ui/flow.js";
import {connect, type Channel, type ConsumeMessage} from "../../rabbitmq/amqplib.js";
import {createBroker, type ExchangeType} from "../../rabbitmq/broker.js";

export interface Worker {
  name: string;
  /** Virtual ms per task. */
  processingMs: number;
  /** The worker's channel closes at this time, without acknowledging what it holds. */
  crashAtMs?: number;
}

export interface WorkQueueOptions {
  seed?: number | string;
  tasks?: number;
  ratePerSecond?: number;
  prefetch?: number;
  workers?: Worker[];
  sampleMs?: number;
}

export interface TaskDelivery {
  time: number;
  worker: string;
  task: number;
  redelivered: boolean;
  /** This task's side effect had already happened once: a duplicate. */
  duplicate: boolean;
}

export interface QueueSample {
  time: number;
  ready: number;
  unacked: number;
}

export interface WorkQueueRun {
  deliveries: TaskDelivery[];
  depth: QueueSample[];
  /** Messages left in the queue at the end: acknowledged messages are deleted. */
  remaining: number;
  flow: {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]};
}

export const defaultWorkers: Worker[] = [
  {name: "agent-1", processingMs: 150},
  {name: "agent-2", processingMs: 300},
  {name: "agent-3", processingMs: 600, crashAtMs: 4000}
];

export async function runWorkQueue({seed = 4, tasks = 60, ratePerSecond = 10, prefetch = 1, workers = defaultWorkers, sampleMs = 250}: WorkQueueOptions = {}): Promise<WorkQueueRun> {
  if (!(Number.isInteger(tasks) && tasks >= 1 && tasks <= 5_000)) throw new RangeError(`tasks must be an integer in [1, 5000], got ${tasks}`);
  if (!(Number.isInteger(prefetch) && prefetch >= 0 && prefetch <= 65_535)) throw new RangeError(`prefetch must be an integer in [0, 65535] (0 = unlimited), got ${prefetch}`);
  if (workers.length === 0) throw new RangeError("at least one worker is needed");
  const sim = createSimulation({seed});
  const broker = createBroker(sim);
  const connection = await connect("amqp://simulated", {broker});
  const publisher = await connection.createChannel();
  await publisher.assertQueue("tickets", {durable: true});

  const deliveries: TaskDelivery[] = [];
  const done = new Set<number>();
  const enqueuedAt = new Map<number, number>();
  let unacked = 0;
  for (const w of workers) {
    const channel: Channel = await connection.createChannel();
    await channel.prefetch(prefetch);
    let crashed = false;
    let held = 0;
    await channel.consume("tickets", (msg: ConsumeMessage | null) => {
      if (!msg || crashed) return;
      const task = Number(new TextDecoder().decode(msg.content));
      // The handler's side effect (reply to the customer) happens first, the ack after the work:
      // a crash in between means the next worker repeats the effect.
      deliveries.push({time: sim.now, worker: w.name, task, redelivered: msg.fields.redelivered, duplicate: done.has(task)});
      done.add(task);
      held++;
      unacked++;
      sim.schedule(w.processingMs, () => {
        if (crashed) return;
        channel.ack(msg);
        held--;
        unacked--;
      });
    });
    if (w.crashAtMs !== undefined) {
      sim.schedule(w.crashAtMs, async () => {
        crashed = true;
        unacked -= held; // back in the queue, ready for another worker
        await channel.close();
      });
    }
  }
  for (let i = 0; i < tasks; i++) {
    sim.schedule((i * 1000) / ratePerSecond, () => {
      enqueuedAt.set(i, sim.now);
      publisher.sendToQueue("tickets", String(i), {persistent: true});
    });
  }

  const depth: QueueSample[] = [];
  const queue = () => broker.queues.get("tickets")!;
  for (let guard = 0; guard < 100_000; guard++) {
    await sim.advance(sampleMs);
    depth.push({time: sim.now, ready: queue().messageCount, unacked});
    if (sim.now >= (tasks * 1000) / ratePerSecond && queue().messageCount === 0 && sim.pending === 0) break;
  }
  const nodes: FlowNode[] = [
    {id: "publisher", label: "support portal", column: "producer"},
    {id: "queue", label: 'queue "tickets"', column: "broker", note: `${queue().messageCount} left after acks`},
    ...workers.map((w) => ({id: w.name, label: w.crashAtMs !== undefined ? `${w.name} (crashes)` : w.name, column: "consumer" as const}))
  ];
  const edges: FlowEdge[] = [{from: "publisher", to: "queue"}, ...workers.map((w) => ({from: "queue", to: w.name}))];
  const messages: FlowMessage[] = deliveries.map((d, i) => ({
    id: `${d.task}.${i}`,
    key: `ticket-${d.task % 10}`,
    failed: d.duplicate,
    hops: [{node: "publisher", time: enqueuedAt.get(d.task)!}, {node: "queue", time: enqueuedAt.get(d.task)! + 1}, {node: d.worker, time: d.time}]
  }));
  return {deliveries, depth, remaining: queue().messageCount, flow: {nodes, edges, messages}};
}

export interface BindingSpec {
  queue: string;
  /** Binding key (direct, topic); ignored by fanout and headers exchanges. */
  bindingKey?: string;
  /** Binding arguments (headers exchange: x-match and the header values). */
  arguments?: Record<string, unknown>;
}

export interface RouteResult {
  queue: string;
  received: boolean;
}

/** Declares one exchange and its bindings on a fresh broker, publishes one message, and says which queues got it. */
export async function routeMessage({type, bindings, routingKey = "", headers = {}}: {type: ExchangeType; bindings: BindingSpec[]; routingKey?: string; headers?: Record<string, unknown>}): Promise<RouteResult[]> {
  const sim = createSimulation({seed: 1});
  const broker = createBroker(sim);
  const connection = await connect("amqp://simulated", {broker});
  const channel = await connection.createChannel();
  // A refused declaration closes the channel; keep the error for the reader.
  let failure: Error | null = null;
  channel.on("error", (error: Error) => (failure = error));
  await channel.assertExchange("x", type);
  for (const b of bindings) {
    await channel.assertQueue(b.queue);
    await channel.bindQueue(b.queue, "x", b.bindingKey ?? "", b.arguments ?? {});
  }
  channel.publish("x", routingKey, new TextEncoder().encode("hello"), {headers});
  await sim.runUntilIdle();
  if (failure) throw failure;
  const queues = [...new Set(bindings.map((b) => b.queue))];
  return queues.map((queue) => ({queue, received: broker.queues.get(queue)!.messageCount > 0}));
}
