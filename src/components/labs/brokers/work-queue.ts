// The 11.3 queue workloads, written against the amqplib-shaped facade as cell code would be.
// runWorkQueue: a burst of tickets on a queue, shared by competing agents with a prefetch. Each
// agent handles one ticket at a time; the tickets it holds beyond that wait in its prefetch
// buffer, unacknowledged. An agent may crash mid-ticket: RabbitMQ then requeues everything it
// held unacknowledged, and the others get those tickets flagged `redelivered`. Acknowledged
// tickets are gone and never come back (https://www.rabbitmq.com/docs/confirms#automatic-requeueing;
// prefetch: https://www.rabbitmq.com/docs/consumer-prefetch).
import {createSimulation} from "../../sim/index.js";
import type {FlowEdge, FlowMessage, FlowNode} from "../../ui/flow.js";
import {connect, type Channel, type ConsumeMessage} from "../../rabbitmq/amqplib.js";
import {createBroker} from "../../rabbitmq/broker.js";

export interface Worker {
  name: string;
  /** Virtual ms per ticket. */
  processingMs: number;
  /** The worker's channel closes at this time, without acknowledging what it holds. */
  crashAtMs?: number;
}

export interface WorkQueueOptions {
  seed: number | string;
  tickets: number;
  /** Publish rate; faster than the agents together can work, it builds a backlog. */
  ratePerSecond: number;
  /** basic.qos prefetch-count of each agent's channel (0 = no limit). */
  prefetch: number;
  workers: Worker[];
  sampleMs: number;
  /** One ticket that takes longer to handle, whoever gets it (11.3's three-way comparison). */
  slowTask?: {task: number; processingMs: number};
}

export interface TaskDelivery {
  /** When the portal published the ticket. */
  publishedAt: number;
  /** When the broker delivered the ticket to the agent (into its prefetch buffer). */
  time: number;
  worker: string;
  task: number;
  redelivered: boolean;
  /** When the agent started handling it (and sent the customer its reply); null if it never did. */
  startedAt: number | null;
  /** When the agent acknowledged it; null if it crashed first. */
  ackedAt: number | null;
  /** The reply for this ticket had already gone out in an earlier delivery: handled twice. */
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
  /** Unacknowledged tickets each crashed agent held when its channel closed. */
  heldAtCrash: Record<string, number>;
  /** Messages left in the queue at the end: acknowledged messages are deleted. */
  remaining: number;
  flow: {nodes: FlowNode[]; edges: FlowEdge[]; messages: FlowMessage[]};
}

export async function runWorkQueue({seed, tickets, ratePerSecond, prefetch, workers, sampleMs, slowTask}: WorkQueueOptions): Promise<WorkQueueRun> {
  if (!(Number.isInteger(tickets) && tickets >= 1 && tickets <= 5_000)) throw new RangeError(`tickets must be an integer in [1, 5000], got ${tickets}`);
  if (!(ratePerSecond > 0 && ratePerSecond <= 10_000)) throw new RangeError(`ratePerSecond must be in (0, 10000], got ${ratePerSecond}`);
  if (!(Number.isInteger(prefetch) && prefetch >= 0 && prefetch <= 65_535)) throw new RangeError(`prefetch must be an integer in [0, 65535] (0 = unlimited), got ${prefetch}`);
  if (workers.length === 0) throw new RangeError("at least one worker is needed");
  for (const w of workers) if (!(w.processingMs > 0)) throw new RangeError(`${w.name}: processingMs must be > 0, got ${w.processingMs}`);
  const sim = createSimulation({seed});
  const broker = createBroker(sim);
  const connection = await connect("amqp://simulated", {broker});
  const publisher = await connection.createChannel();
  await publisher.assertQueue("tickets", {durable: true});

  const deliveries: TaskDelivery[] = [];
  const replied = new Set<number>();
  const publishedAt = new Map<number, number>();
  const heldAtCrash: Record<string, number> = {};
  let unacked = 0;
  for (const w of workers) {
    const channel: Channel = await connection.createChannel();
    await channel.prefetch(prefetch);
    let crashed = false;
    let busy = false;
    // Delivered but not yet acknowledged, in delivery order: the head is being handled.
    const held: {msg: ConsumeMessage; delivery: TaskDelivery}[] = [];
    const next = () => {
      if (crashed || busy || held.length === 0) return;
      busy = true;
      const {msg, delivery} = held[0];
      // The side effect (the reply to the customer) comes first, the ack after the work: a crash
      // in between means the next agent replies again.
      delivery.startedAt = sim.now;
      delivery.duplicate = replied.has(delivery.task);
      replied.add(delivery.task);
      sim.schedule(delivery.task === slowTask?.task ? slowTask.processingMs : w.processingMs, () => {
        if (crashed) return;
        channel.ack(msg);
        delivery.ackedAt = sim.now;
        held.shift();
        unacked--;
        busy = false;
        next();
      });
    };
    await channel.consume("tickets", (msg: ConsumeMessage | null) => {
      if (!msg || crashed) return;
      const task = Number(new TextDecoder().decode(msg.content));
      const delivery: TaskDelivery = {publishedAt: publishedAt.get(task)!, time: sim.now, worker: w.name, task, redelivered: msg.fields.redelivered, startedAt: null, ackedAt: null, duplicate: false};
      deliveries.push(delivery);
      held.push({msg, delivery});
      unacked++;
      next();
    });
    if (w.crashAtMs !== undefined) {
      sim.schedule(w.crashAtMs, async () => {
        crashed = true;
        heldAtCrash[w.name] = held.length;
        unacked -= held.length; // back in the queue, ready for another agent
        await channel.close();
      });
    }
  }
  for (let i = 0; i < tickets; i++) {
    sim.schedule((i * 1000) / ratePerSecond, () => {
      publishedAt.set(i, sim.now);
      publisher.sendToQueue("tickets", String(i), {persistent: true});
    });
  }

  const depth: QueueSample[] = [];
  const queue = () => broker.queues.get("tickets")!;
  for (let guard = 0; guard < 100_000; guard++) {
    await sim.advance(sampleMs);
    depth.push({time: sim.now, ready: queue().messageCount, unacked});
    if (sim.now >= (tickets * 1000) / ratePerSecond && queue().messageCount === 0 && sim.pending === 0) break;
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
    hops: [{node: "publisher", time: d.publishedAt}, {node: "queue", time: d.publishedAt + 1}, {node: d.worker, time: d.time}]
  }));
  return {deliveries, depth, heldAtCrash, remaining: queue().messageCount, flow: {nodes, edges, messages}};
}
