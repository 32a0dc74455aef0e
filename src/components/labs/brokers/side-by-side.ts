// 11.3 side by side: the same orders through each broker to one consumer (billing), then a second
// consumer (fraud-detection) that arrives after the last order. What each broker still holds
// decides what the newcomer can read: Kafka's log keeps every record (deletion is by retention,
// never on read); a RabbitMQ queue deletes a message once it is acknowledged, and a queue bound
// later gets only what is published later; EventBridge keeps nothing unless an archive is
// configured, and then a replay sends the archived events to the new rule.
import {createSimulation} from "../../sim/index.js";
import {createCluster} from "../../kafka/cluster.js";
import {connect} from "../../rabbitmq/amqplib.js";
import {createBroker} from "../../rabbitmq/broker.js";
import {createEventBridge} from "../../eventbridge/bus.js";

export interface SideBySideOptions {
  seed: number | string;
  messages: number;
  ratePerSecond: number;
  /** When fraud-detection starts reading, after the last order. */
  lateReaderAtMs: number;
  /** EventBridge only: an archive on the bus (CreateArchive) that a replay can read. */
  archive: boolean;
}

export type BrokerName = "Kafka" | "RabbitMQ" | "EventBridge";

/** The chart's order, fixed: the text names brokers, never bar positions. */
export const BROKERS: readonly BrokerName[] = ["Kafka", "RabbitMQ", "EventBridge"];

export interface BrokerOutcome {
  broker: BrokerName;
  published: number;
  /** What the first consumer (billing) read. */
  firstRead: number;
  /** Messages the broker still holds once billing has read everything. */
  held: number;
  /** What fraud-detection, arriving later, could read. */
  lateRead: number;
}

export interface SideBySideRun {
  parameters: SideBySideOptions;
  brokers: BrokerOutcome[];
}

export async function runSideBySide(p: SideBySideOptions): Promise<SideBySideRun> {
  if (!(Number.isInteger(p.messages) && p.messages >= 1 && p.messages <= 5_000)) throw new RangeError(`messages must be an integer in [1, 5000], got ${p.messages}`);
  if (!(p.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${p.ratePerSecond}`);
  const lastOrderAt = ((p.messages - 1) * 1000) / p.ratePerSecond;
  if (!(p.lateReaderAtMs > lastOrderAt)) throw new RangeError(`lateReaderAtMs must come after the last order (${lastOrderAt} ms), got ${p.lateReaderAtMs}`);
  const brokers = [await viaKafka(p), await viaRabbitMQ(p), await viaEventBridge(p)];
  return {parameters: p, brokers};
}

const at = (p: SideBySideOptions, i: number) => (i * 1000) / p.ratePerSecond;
const order = (i: number) => JSON.stringify({type: "OrderPlaced", orderId: `order-${i + 1}`});

async function viaKafka(p: SideBySideOptions): Promise<BrokerOutcome> {
  const sim = createSimulation({seed: `${p.seed}/kafka`});
  const cluster = createCluster(sim);
  cluster.createTopic("orders", {partitions: 1});
  const producer = cluster.producer({clientId: "order-service"});
  for (let i = 0; i < p.messages; i++) sim.schedule(at(p, i), () => void producer.send({topic: "orders", key: `order-${i + 1}`, value: order(i)}));
  const read: Record<string, number> = {billing: 0, "fraud-detection": 0};
  const reader = (groupId: string) => {
    const consumer = cluster.consumer({groupId, autoOffsetReset: "earliest"});
    consumer.subscribe("orders");
    consumer.run({eachMessage: () => void read[groupId]++});
  };
  reader("billing");
  await sim.advance(p.lateReaderAtMs);
  const held = cluster.offsets().reduce((n, o) => n + o.logEndOffset - o.logStartOffset, 0);
  reader("fraud-detection");
  await sim.advance(p.lateReaderAtMs);
  return {broker: "Kafka", published: p.messages, firstRead: read.billing, held, lateRead: read["fraud-detection"]};
}

async function viaRabbitMQ(p: SideBySideOptions): Promise<BrokerOutcome> {
  const sim = createSimulation({seed: `${p.seed}/rabbitmq`});
  const broker = createBroker(sim);
  const connection = await connect("amqp://simulated", {broker});
  const channel = await connection.createChannel();
  await channel.assertExchange("orders", "fanout");
  const read: Record<string, number> = {billing: 0, "fraud-detection": 0};
  const reader = async (queue: string) => {
    await channel.assertQueue(queue);
    await channel.bindQueue(queue, "orders", "");
    await channel.consume(queue, (msg) => {
      if (!msg) return;
      read[queue]++;
      channel.ack(msg);
    });
  };
  await reader("billing");
  for (let i = 0; i < p.messages; i++) sim.schedule(at(p, i), () => void channel.publish("orders", "", new TextEncoder().encode(order(i))));
  await sim.advance(p.lateReaderAtMs);
  const held = [...broker.queues.values()].reduce((n, q) => n + q.messageCount, 0);
  await reader("fraud-detection");
  await sim.advance(p.lateReaderAtMs);
  return {broker: "RabbitMQ", published: p.messages, firstRead: read.billing, held, lateRead: read["fraud-detection"]};
}

async function viaEventBridge(p: SideBySideOptions): Promise<BrokerOutcome> {
  const sim = createSimulation({seed: `${p.seed}/eventbridge`});
  const bus = createEventBridge(sim);
  const busArn = bus.listEventBuses().EventBuses[0].Arn;
  const pattern = {source: ["shop.orders"]};
  const reader = (name: string) => {
    const {RuleArn} = bus.putRule({Name: name, EventPattern: pattern});
    const target = bus.createFunction(`${name}-handler`);
    bus.putTargets({Rule: name, Targets: [{Id: "handler", Arn: target.arn}]});
    return {RuleArn, target};
  };
  const billing = reader("billing");
  const archive = p.archive ? bus.createArchive({ArchiveName: "orders", EventSourceArn: busArn}).ArchiveArn : null;
  for (let i = 0; i < p.messages; i++) sim.schedule(at(p, i), () => void bus.putEvents({Entries: [{Source: "shop.orders", DetailType: "OrderPlaced", Detail: order(i)}]}));
  await sim.advance(p.lateReaderAtMs);
  const held = archive ? bus.describeArchive({ArchiveName: "orders"}).EventCount : 0;
  const fraud = reader("fraud-detection");
  // A replay re-sends archived events to the rules named in FilterArns, here the newcomer only.
  if (archive) bus.startReplay({ReplayName: "fraud-backfill", EventSourceArn: archive, EventStartTime: bus.dateAt(0), EventEndTime: bus.dateAt(sim.now), Destination: {Arn: busArn, FilterArns: [fraud.RuleArn]}});
  await sim.advance(p.lateReaderAtMs);
  const invoked = (t: {invocations: {ok: boolean}[]}) => t.invocations.filter((i) => i.ok).length;
  return {broker: "EventBridge", published: p.messages, firstRead: invoked(billing.target), held, lateRead: invoked(fraud.target)};
}
