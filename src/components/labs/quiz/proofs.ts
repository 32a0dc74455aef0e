// The "Prove it" simulations of the quiz (11.6), loaded on the reader's first press (index.ts lists
// them). Each runs one small, seeded scenario on the workbook's models and returns a table a page can
// render, the numbers its claims quote (data/scenarios/check-your-understanding.json) and whether the
// run showed them. Same seed, same table, in Node and in every browser. Where the run's own record
// answers the question, the table is a query on the run's tables (tables/: arquero); the RabbitMQ,
// EventBridge and share-group proofs keep what their handlers saw, which names the application's
// messages and the moments its clients had them (the traces carry broker ids and broker times).
//
// Models used:
// - Kafka: the workbook's Kafka model (kafka/cluster.ts, producer.ts, consumer.ts and the broker
//   side: partition.ts, transactions.ts, group.ts).
// - Avro and the registry: schema/registry.ts, compatibility.ts and wire.ts.
// - Placement: kafka/partitioner.ts (murmur2) and assignors.ts.
// - RabbitMQ: the broker model through its amqplib-shaped client (rabbitmq/broker.ts, amqplib.ts).
// - EventBridge: the bus and the pattern matcher (eventbridge/bus.ts, pattern.ts).
import {advanceUntilSettled, createSimulation, type Simulation} from "../../sim/index.js";
import {assign} from "../../kafka/assignors.js";
import {createCluster} from "../../kafka/cluster.js";
import {Consumer, type ConsumerRecord} from "../../kafka/consumer.js";
import {Producer, type ProducerRecord, type RecordMetadata} from "../../kafka/producer.js";
import {partitionForKey} from "../../kafka/partitioner.js";
import {connect, type Channel, type ConsumeMessage} from "../../rabbitmq/amqplib.js";
import {createBroker} from "../../rabbitmq/broker.js";
import {createEventBridge} from "../../eventbridge/bus.js";
import {explainMatch} from "../../eventbridge/pattern.js";
import {checkCompatibility, type CompatibilityLevel} from "../../schema/compatibility.js";
import {SchemaRegistry} from "../../schema/registry.js";
import {decodeWire, encodeWire} from "../../schema/wire.js";
import {aq, op, recordsAppended, recordsConsumed, transactionMarkers, type ColumnTable} from "../../tables/index.js";

export type Cell = string | number | boolean | null;
export type ProofRow = Record<string, Cell>;

export interface ProofResult {
  /** What the run showed, in a sentence or two. */
  summary: string;
  /** Whether this run showed the claim (tests assert it; the page says so). */
  holds: boolean;
  /** Column order of the table. */
  columns: string[];
  rows: ProofRow[];
  /** Indices of rows to highlight: the duplicate, the out-of-order read, the hidden record. */
  marked: number[];
  seed: number;
  /** The run's numbers by name: the metrics of the proof's experiment (labs/quiz/index.ts), which its claims quote. */
  facts: Record<string, number | boolean>;
}

export interface ProofOptions {
  seed?: number;
}

export interface Proof {
  id: string;
  /** A short title for the button's result. */
  title: string;
  /** The workbook models it runs on. */
  model: string;
  run(options?: ProofOptions): Promise<ProofResult>;
}

/** A run's table as the page shows it: its columns, in order, and its rows. */
function tableRows(table: ColumnTable): {columns: string[]; rows: ProofRow[]} {
  return {columns: table.columnNames(), rows: table.objects() as ProofRow[]};
}

const DAY = 86_400_000;
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// Kafka helpers

function oneBrokerCluster(sim: Simulation) {
  // One broker answers every request after the network delay; cleanup runs daily.
  return createCluster(sim, {brokers: 1, cleanupIntervalMs: DAY});
}

// ---------------------------------------------------------------------------------------------
// 11.6 question 1: a new consumer group needs no change to the producer.

export async function proveNewConsumerGroup({seed = 11}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const cluster = oneBrokerCluster(sim);
  const topic = "payments";
  const partitions = 3;
  cluster.createTopic(topic, {partitions, config: {retentionMs: -1}}); // keep the whole history

  // The Payment Service: it knows a topic name and nothing about who reads it.
  const producer = new Producer(cluster, {clientId: "payment-service"});
  const sends: Promise<RecordMetadata[]>[] = [];
  let published = 0;
  const publish = () => {
    const paymentId = `pay-${++published}`;
    sends.push(producer.send({topic, key: paymentId, value: {type: "PaymentConfirmed", paymentId}}));
  };
  const days = 180;
  for (let day = 0; day < days; day++) sim.schedule(day * DAY + sim.random.int(DAY), publish);

  const services = [
    {group: "analytics", startDay: 0},
    {group: "receipts", startDay: 0},
    {group: "fraud-detection", startDay: days}
  ];
  for (const {group, startDay} of services) {
    sim.schedule(startDay * DAY, () => {
      const consumer = new Consumer(cluster, {groupId: group, autoOffsetReset: "earliest"});
      consumer.subscribe(topic);
      consumer.run({eachMessage: () => {}});
    });
  }
  await sim.advance((days + 1) * DAY);
  await Promise.all(sends);

  // What each group read, from the run's consumed records; a group that read nothing keeps its row.
  const read = recordsConsumed(sim).groupby("group").rollup({read: op.count(), readFirst: (d: {key: string}) => op.max(d.key === "pay-1")});
  const table = aq
    .from(services)
    .lookup(read, "group", "read", "readFirst")
    .impute({read: () => 0, readFirst: () => false})
    .derive({changes: () => 0}) // `publish` above was written once, before any consumer existed
    .select({group: "consumer group", startDay: "started on day", read: "payments read", readFirst: "read pay-1 (day 0)", changes: "changes to the Payment Service"});
  const {columns, rows} = tableRows(table);
  const fraud = rows.find((r) => r["consumer group"] === "fraud-detection")!;
  const holds = published === days && fraud["payments read"] === published && rows.every((r) => r["payments read"] === published);
  return {
    summary: `The Payment Service published ${published} PaymentConfirmed events over ${days} days. fraud-detection started on day ${days} with auto.offset.reset=earliest and read all ${fraud["payments read"]} from the retained log, pay-1 of day 0 included; the producer was not touched.`,
    holds,
    columns,
    rows,
    marked: [2],
    seed,
    facts: {published, fraudStartDay: days, fraudRead: fraud["payments read"] as number, fraudReadFirst: fraud["read pay-1 (day 0)"] as boolean}
  };
}

// ---------------------------------------------------------------------------------------------
// RabbitMQ helpers

/** A worker: its own connection and channel with basic.qos prefetch, consuming one queue with manual acks. */
async function rabbitWorker(broker: ReturnType<typeof createBroker>, queue: string, prefetch: number, onMessage: (msg: ConsumeMessage, ch: Channel) => void) {
  const connection = await connect("amqp://localhost", {broker});
  const channel = await connection.createChannel();
  await channel.prefetch(prefetch);
  await channel.consume(queue, (msg) => msg && onMessage(msg, channel), {noAck: false});
  return {connection, channel};
}

// ---------------------------------------------------------------------------------------------
// 11.6 question 2: support tickets, a RabbitMQ work queue against a Kafka consumer group.

export async function proveWorkQueue({seed = 7}: ProofOptions = {}): Promise<ProofResult> {
  const tickets = Array.from({length: 12}, (_, i) => `ticket-${101 + i}`);
  const agents = ["agent-1", "agent-2", "agent-3"];
  // Handling times drawn once from the run's random source, so both brokers get the same work.
  const timing = createSimulation({seed});
  const minutes = new Map(tickets.map((t) => [t, Math.max(1, Math.round(timing.random.exponential(6)))]));

  // RabbitMQ: one queue, three consumers with prefetch 1 and manual acks.
  const rabbit = createSimulation({seed});
  const broker = createBroker(rabbit);
  const rabbitLog: {agent: string; ticket: string; start: number; end: number}[] = [];
  const publisher = await (await connect("amqp://localhost", {broker})).createChannel();
  await publisher.assertQueue("tickets");
  for (const agent of agents) {
    await rabbitWorker(broker, "tickets", 1, (msg, ch) => {
      const ticket = msg.properties.messageId!;
      const start = rabbit.now;
      rabbit.schedule(minutes.get(ticket)! * MINUTE, () => {
        rabbitLog.push({agent, ticket, start, end: rabbit.now});
        ch.ack(msg);
      });
    });
  }
  for (const t of tickets) publisher.sendToQueue("tickets", `support ticket ${t}`, {messageId: t});
  await rabbit.runUntilIdle();

  // Kafka: a topic with three partitions keyed by ticket id; a group of three agents, one
  // partition each (range assignor); each agent works through its partition in offset order.
  const kafka = createSimulation({seed});
  const partitions = 3;
  const owned = assign("range", agents.map((memberId) => ({memberId, topics: ["tickets"]})), {tickets: partitions});
  const byPartition = Array.from({length: partitions}, () => [] as string[]);
  for (const t of tickets) byPartition[partitionForKey(t, partitions)].push(t);
  const kafkaLog: {agent: string; ticket: string; start: number; end: number}[] = [];
  for (const agent of agents) {
    const mine = owned[agent].flatMap((tp) => byPartition[tp.partition]);
    const next = (i: number) => {
      if (i >= mine.length) return;
      const start = kafka.now;
      kafka.schedule(minutes.get(mine[i])! * MINUTE, () => {
        kafkaLog.push({agent, ticket: mine[i], start, end: kafka.now});
        next(i + 1);
      });
    };
    kafka.schedule(0, () => next(0));
  }
  await kafka.runUntilIdle();

  type Work = typeof rabbitLog;
  /** Each agent's tickets, minutes busy, minutes idle while some ticket had not been started (all arrived at 0), and when the last was done. */
  const perAgent = (broker: string, log: Work) =>
    aq
      .from(agents.map((agent) => ({broker, agent})))
      .lookup(aq.from(log).groupby("agent").rollup({tickets: op.count(), busy: (d: Work[number]) => op.sum(d.end - d.start), done: op.max("end")}), "agent", "tickets", "busy", "done")
      .impute({tickets: () => 0, busy: () => 0, done: () => 0})
      .params({lastStart: Math.max(...log.map((l) => l.start)), MINUTE})
      .derive({
        "minutes busy": (d: {busy: number}, $: {MINUTE: number}) => d.busy / $.MINUTE,
        "idle while tickets waited (min)": (d: {done: number}, $: {lastStart: number; MINUTE: number}) => op.greatest(0, $.lastStart - d.done) / $.MINUTE,
        "done at (min)": (d: {done: number}, $: {MINUTE: number}) => d.done / $.MINUTE
      })
      .select("broker", "agent", "tickets", "minutes busy", "idle while tickets waited (min)", "done at (min)");
  const {columns, rows} = tableRows(perAgent("RabbitMQ queue, prefetch 1", rabbitLog).concat(perAgent("Kafka group, 3 partitions", kafkaLog)));
  const once = (log: Work) => aq.from(log).groupby("ticket").count().filter((d: {count: number}) => d.count === 1).numRows() === tickets.length && log.length === tickets.length;
  const idle = (prefix: string) => rows.filter((r) => String(r.broker).startsWith(prefix)).reduce((s, r) => s + (r["idle while tickets waited (min)"] as number), 0);
  const finish = (log: Work) => Math.max(...log.map((l) => l.end)) / MINUTE;
  const holds = once(rabbitLog) && once(kafkaLog) && idle("RabbitMQ") === 0 && idle("Kafka") > 0;
  return {
    summary:
      `Both gave each of the ${tickets.length} tickets to exactly one agent (no crash in this run). The queue handed the next ticket to whichever agent was free: ` +
      `no agent waited while a ticket did, and the last ticket was done at ${finish(rabbitLog)} min. In the Kafka group a ticket waits behind the ones before it in its partition: ` +
      `agents sat idle for ${idle("Kafka")} min in all while tickets still waited elsewhere, and the last was done at ${finish(kafkaLog)} min.`,
    holds,
    columns,
    rows,
    marked: rows.flatMap((r, i) => ((r["idle while tickets waited (min)"] as number) > 0 ? [i] : [])),
    seed,
    facts: {tickets: tickets.length, rabbitIdleMinutes: idle("RabbitMQ"), kafkaIdleMinutes: idle("Kafka"), rabbitDoneMinutes: finish(rabbitLog), kafkaDoneMinutes: finish(kafkaLog), rabbitOnce: once(rabbitLog), kafkaOnce: once(kafkaLog)}
  };
}

// ---------------------------------------------------------------------------------------------
// Redelivery: a RabbitMQ consumer crashes between its side effect and its ack.

export async function proveRabbitRedelivery({seed = 5}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const broker = createBroker(sim);
  const rows: ProofRow[] = [];
  const naiveEmails = new Map<string, number>();
  const processed = new Set<string>(); // the idempotent handler's "already handled" table
  const idempotentEmails = new Map<string, number>();
  const bump = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  const publisher = await (await connect("amqp://localhost", {broker})).createChannel();
  await publisher.assertQueue("confirmations");
  let crashed = false;

  const handler = (consumer: string, crash: () => Promise<void>) => (msg: ConsumeMessage, ch: Channel) => {
    const id = msg.properties.messageId!;
    bump(naiveEmails, id);
    if (!processed.has(id)) {
      processed.add(id);
      bump(idempotentEmails, id);
    }
    const row: ProofRow = {"time (ms)": sim.now, consumer, message: id, "delivery tag": msg.fields.deliveryTag, redelivered: msg.fields.redelivered, outcome: "email sent, acked"};
    rows.push(row);
    // worker-1 sends the first confirmation email and dies before basic.ack: its connection drops.
    if (consumer === "worker-1" && !crashed) {
      crashed = true;
      row.outcome = "email sent, then the process crashed before basic.ack";
      sim.schedule(20 + sim.random.int(10), () => void crash());
      return;
    }
    sim.schedule(5 + sim.random.int(5), () => ch.ack(msg));
  };
  const workers: Record<string, Awaited<ReturnType<typeof rabbitWorker>>> = {};
  for (const name of ["worker-1", "worker-2"]) {
    workers[name] = await rabbitWorker(broker, "confirmations", 1, handler(name, () => workers[name].connection.close()));
  }
  for (const id of ["order-1042", "order-1043", "order-1044"]) publisher.sendToQueue("confirmations", `send the confirmation for ${id}`, {messageId: id});
  await sim.runUntilIdle();

  const first = "order-1042";
  const deliveries = rows.filter((r) => r.message === first);
  const {messageCount} = await publisher.checkQueue("confirmations");
  const holds = deliveries.length === 2 && deliveries[1].redelivered === true && naiveEmails.get(first) === 2 && idempotentEmails.get(first) === 1 && messageCount === 0;
  return {
    summary:
      `${first} was delivered ${deliveries.length} times: worker-1 sent the email and crashed before acking, so RabbitMQ requeued the message and gave it to ${deliveries[1]?.consumer ?? "nobody"} with redelivered=true. ` +
      `A handler that just sends sent ${naiveEmails.get(first)} emails for it; one that records the message ids it has handled sent ${idempotentEmails.get(first)}.`,
    holds,
    columns: Object.keys(rows[0]),
    rows,
    marked: rows.flatMap((r, i) => (r.redelivered ? [i] : [])),
    seed,
    facts: {deliveries: deliveries.length, redelivered: deliveries[1]?.redelivered === true, naiveEmails: naiveEmails.get(first) ?? 0, idempotentEmails: idempotentEmails.get(first) ?? 0, left: messageCount}
  };
}

// ---------------------------------------------------------------------------------------------
// Avro schemas for the schema questions.

const orderPlacedV1 = {
  type: "record",
  name: "OrderPlaced",
  namespace: "shop.orders",
  fields: [
    {name: "orderId", type: "string"},
    {name: "amount", type: "double"}
  ]
};
const withField = (field: object) => ({...orderPlacedV1, fields: [...orderPlacedV1.fields, field]});
const without = (name: string) => ({...orderPlacedV1, fields: orderPlacedV1.fields.filter((f) => f.name !== name)});
const deliveryTypeWithDefault = {name: "deliveryType", type: "string", default: "STANDARD"};
const deliveryTypeNoDefault = {name: "deliveryType", type: "string"};
/** A decoded record as JSON with room to wrap in a table cell. */
const readable = (value: unknown) => JSON.stringify(value).replace(/,"/g, ', "');

// 11.6 question 3: existing consumers reading data written with the new schema.

export async function proveForwardRead({seed = 3}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed}); // nothing random here; the seed is kept for a uniform API
  const registry = new SchemaRegistry(); // Confluent's default level, BACKWARD
  const subject = "orders-value";
  const v1 = registry.register(subject, orderPlacedV1);
  const v2Schema = withField(deliveryTypeWithDefault);
  const levels: CompatibilityLevel[] = ["BACKWARD", "FORWARD", "FULL"];
  const rows: ProofRow[] = [];
  for (const [change, schema] of [["add deliveryType with a default", v2Schema], ["add deliveryType without a default", withField(deliveryTypeNoDefault)]] as const) {
    for (const level of levels) {
      const report = checkCompatibility(level, schema, [orderPlacedV1]);
      rows.push({step: "registry check", change, level, result: report.compatible ? "compatible" : "refused", detail: report.checks.flatMap((c) => c.issues.map((i) => i.message)).join("; ") || "—"});
    }
  }
  const v2 = registry.register(subject, v2Schema);
  const lookup = (id: number) => registry.schemaById(id);
  // An upgraded producer writes v2; an existing consumer still reads with v1 (old reader, new data).
  const newBytes = encodeWire(v2.id, v2Schema, {orderId: "order-1042", amount: 25, deliveryType: "EXPRESS"});
  const oldReader = decodeWire(newBytes, lookup, orderPlacedV1);
  // An upgraded consumer reads a record written before the change (new reader, old data).
  const oldBytes = encodeWire(v1.id, orderPlacedV1, {orderId: "order-1041", amount: 12});
  const newReader = decodeWire(oldBytes, lookup, v2Schema);
  sim.record("schema.read", {oldReader: oldReader.value, newReader: newReader.value});
  rows.push(
    {step: "read", change: "v1 consumer reads a v2 record", level: "FORWARD", result: readable(oldReader.value), detail: "the unknown deliveryType is skipped"},
    {step: "read", change: "v2 consumer reads a v1 record", level: "BACKWARD", result: readable(newReader.value), detail: "the missing deliveryType takes its default"}
  );
  const ok = (change: string, level: string) => rows.find((r) => r.change === change && r.level === level)?.result === "compatible";
  const holds =
    ok("add deliveryType with a default", "FORWARD") && ok("add deliveryType with a default", "BACKWARD") && ok("add deliveryType with a default", "FULL") &&
    ok("add deliveryType without a default", "FORWARD") && !ok("add deliveryType without a default", "BACKWARD") &&
    !("deliveryType" in (oldReader.value as object)) && (newReader.value as {deliveryType?: string}).deliveryType === "STANDARD";
  return {
    summary:
      "Existing consumers are old readers of new data: FORWARD is the check that protects them, and the v1 reader decoded the v2 record, skipping deliveryType. " +
      "The field with a default also passes BACKWARD (Confluent's default level), so the change is FULL; without a default it is FORWARD only.",
    holds,
    columns: ["step", "change", "level", "result", "detail"],
    rows,
    marked: rows.flatMap((r, i) => (r.level === "FORWARD" ? [i] : [])),
    seed,
    facts: {
      withDefaultBackward: ok("add deliveryType with a default", "BACKWARD"),
      withDefaultForward: ok("add deliveryType with a default", "FORWARD"),
      withDefaultFull: ok("add deliveryType with a default", "FULL"),
      withoutDefaultBackward: ok("add deliveryType without a default", "BACKWARD"),
      withoutDefaultForward: ok("add deliveryType without a default", "FORWARD"),
      oldReaderSkips: !("deliveryType" in (oldReader.value as object)),
      newReaderDefault: (newReader.value as {deliveryType?: string}).deliveryType === "STANDARD"
    }
  };
}

// Which changes pass which level: the compatibility table, computed.

export async function proveCompatibilityTable({seed = 3}: ProofOptions = {}): Promise<ProofResult> {
  const changes: [string, object][] = [
    ["add a field with a default", withField(deliveryTypeWithDefault)],
    ["add a field without a default", withField(deliveryTypeNoDefault)],
    ["remove a field without a default (amount)", without("amount")],
    ["remove a field that had a default", orderPlacedV1],
    ["rename amount → total", {...orderPlacedV1, fields: [orderPlacedV1.fields[0], {name: "total", type: "double"}]}],
    ["rename amount → total, with alias \"amount\"", {...orderPlacedV1, fields: [orderPlacedV1.fields[0], {name: "total", type: "double", aliases: ["amount"]}]}],
    ["change amount from double to string", {...orderPlacedV1, fields: [orderPlacedV1.fields[0], {name: "amount", type: "string"}]}]
  ];
  const levels: CompatibilityLevel[] = ["BACKWARD", "FORWARD", "FULL"];
  const rows = changes.map(([change, candidate]) => {
    // "Remove a field that had a default": the previous schema is v1 plus deliveryType with its default.
    const previous = change.startsWith("remove a field that had") ? withField(deliveryTypeWithDefault) : orderPlacedV1;
    const row: ProofRow = {change};
    for (const level of levels) row[level] = checkCompatibility(level, candidate, [previous]).compatible ? "✓ passes" : "✗ refused";
    return row;
  });
  const passes = (i: number, level: CompatibilityLevel) => rows[i][level] === "✓ passes";
  const holds =
    levels.every((l) => passes(0, l)) && // added with default: FULL
    passes(1, "FORWARD") && !passes(1, "BACKWARD") &&
    passes(2, "BACKWARD") && !passes(2, "FORWARD") && // seed correction 3
    levels.every((l) => passes(3, l)) &&
    !passes(4, "BACKWARD") && passes(5, "BACKWARD") && // seed correction 4: aliases
    !passes(6, "BACKWARD") && !passes(6, "FORWARD");
  return {
    summary:
      "Each change checked by the workbook's Avro resolution rules at three levels. Adding a field with a default passes all three (FULL). Removing a field without a default passes BACKWARD only: " +
      "old readers still expect it. A rename breaks unless the reader's field lists the old name in aliases.",
    holds,
    columns: ["change", ...levels],
    rows,
    marked: [0],
    seed,
    facts: {
      changes: rows.length,
      addWithDefaultLevels: levels.filter((l) => passes(0, l)).length,
      addWithoutDefaultBackward: passes(1, "BACKWARD"),
      removeWithoutDefaultBackward: passes(2, "BACKWARD"),
      removeWithoutDefaultForward: passes(2, "FORWARD"),
      removeWithoutDefaultFull: passes(2, "FULL"),
      removeWithDefaultForward: passes(3, "FORWARD"),
      renameBackward: passes(4, "BACKWARD"),
      aliasBackward: passes(5, "BACKWARD")
    }
  };
}

// ---------------------------------------------------------------------------------------------
// 11.6 PaymentCompleted: a consumer crash between processing and commit, two handlers.

export async function proveDuplicateDelivery({seed = 42}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const cluster = oneBrokerCluster(sim);
  const topic = "payments";
  cluster.createTopic(topic, {partitions: 1});
  const producer = new Producer(cluster, {clientId: "payment-service"});
  const events = Array.from({length: 6}, (_, i) => ({eventId: `evt-${501 + i}`, orderId: `order-${1042 + i}`}));
  await advanceUntilSettled(sim, producer.send(events.map((e) => ({topic, key: e.orderId, value: {type: "PaymentCompleted", ...e}}))));

  // The order service's shipments table, written by two handlers: one INSERT per delivery, and an
  // INSERT ... ON CONFLICT (event_id) DO NOTHING that keeps one row per eventId.
  const inserted: {eventId: string}[] = [];
  const upserted = new Map<string, {eventId: string}>();
  const handle = (r: ConsumerRecord) => {
    const {eventId} = r.value as {eventId: string};
    inserted.push({eventId});
    if (!upserted.has(eventId)) upserted.set(eventId, {eventId});
  };
  const options = {groupId: "order-service", autoCommit: false, autoOffsetReset: "earliest" as const, processingMs: 10};
  // Commits after every third record; crashes after processing the fifth, before its commit.
  const first = new Consumer(cluster, {...options, clientId: "order-service-a"});
  const crashAt = 4;
  first.subscribe(topic);
  first.run({
    eachMessage: (r) => {
      handle(r);
      if (r.offset === crashAt) return first.crash();
      if ((r.offset + 1) % 3 === 0) first.commit([{topic, partition: 0, offset: r.offset + 1}]);
    }
  });
  await sim.advance(1_000);
  const committedAtCrash = cluster.groups.committed("order-service", topic, 0) ?? 0;
  // The replacement instance joins; the group hands it the partition once the crashed member's session times out.
  const second = new Consumer(cluster, {...options, clientId: "order-service-b"});
  second.subscribe(topic);
  second.run({
    eachMessage: (r) => {
      handle(r);
      second.commit([{topic, partition: 0, offset: r.offset + 1}]);
    }
  });
  await sim.advance(120_000);

  // Per event: how often the group received it (the run's consumed records) and the shipments each handler wrote.
  const perEvent = (table: ColumnTable, as: string) => table.groupby("eventId").count({as});
  const received = recordsConsumed(sim).derive({eventId: (d: {value: {eventId: string}}) => d.value.eventId});
  const table = aq
    .from(events)
    .select("eventId")
    .lookup(perEvent(received, "deliveries"), "eventId", "deliveries")
    .lookup(perEvent(aq.from(inserted), "shipments (insert)"), "eventId", "shipments (insert)")
    .lookup(perEvent(aq.from([...upserted.values()]), "shipments (upsert by eventId)"), "eventId", "shipments (upsert by eventId)")
    .impute({deliveries: () => 0, "shipments (insert)": () => 0, "shipments (upsert by eventId)": () => 0});
  const {columns, rows} = tableRows(table);
  const duplicated = rows.filter((r) => (r.deliveries as number) > 1);
  const holds = duplicated.length > 0 && rows.every((r) => (r.deliveries as number) >= 1 && r["shipments (upsert by eventId)"] === 1) && duplicated.every((r) => r["shipments (insert)"] === r.deliveries);
  return {
    summary:
      `The first instance processed up to offset ${crashAt} but had committed only up to ${committedAtCrash} when it crashed. The replacement resumed from the committed offset, so ` +
      `${duplicated.map((r) => r.eventId).join(" and ")} arrived twice. Inserting a shipment per delivery shipped them twice; upserting by eventId kept one shipment each.`,
    holds,
    columns,
    rows,
    marked: rows.flatMap((r, i) => ((r.deliveries as number) > 1 ? [i] : [])),
    seed,
    facts: {events: events.length, committedAtCrash, duplicated: duplicated.length, insertedShipments: inserted.length, upsertedShipments: upserted.size}
  };
}

// ---------------------------------------------------------------------------------------------
// Keyless records: the producer's sticky partitioner (KIP-480, KIP-794).

export async function proveStickyPartitioner({seed = 2}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const cluster = oneBrokerCluster(sim);
  const topic = "clicks";
  cluster.createTopic(topic, {partitions: 3});
  const batchSize = 120; // bytes: tiny on purpose, so a few records fill a batch (Kafka's default is 16384)
  const producer = new Producer(cluster, {clientId: "web-tracker", batchSize});
  const values = Array.from({length: 18}, (_, i) => `click ${String(i + 1).padStart(2, "0")} on /checkout`);
  // One send() per record, as an application calls it; the partition is chosen at send time.
  const sends = values.map((value) => producer.send({topic, key: null, value}));
  await advanceUntilSettled(sim, Promise.all(sends));
  // The log as the leaders wrote it, in send order; a run of records ends where the partition changes.
  const table = recordsAppended(sim)
    .orderby("sendIndex")
    .derive({record: () => op.row_number(), key: () => "null", moved: (d: {partition: number}) => d.partition !== op.lag(d.partition, 1)})
    .derive({run: aq.rolling((d: {moved: boolean}) => op.sum(d.moved))})
    .select("record", "key", "value", "partition", "offset", {run: "sticky run"});
  const {columns, rows} = tableRows(table);
  const runs = rows.length ? (rows[rows.length - 1]["sticky run"] as number) : 0;
  const holds = rows.length === values.length && runs < values.length && runs >= 2;
  return {
    summary: `${values.length} keyless records, sent one by one, landed in ${runs} runs: the producer stuck to one partition until about batch.size (${batchSize} bytes here) had gone to it, then moved to another. Round-robin would have changed partition with every record (${values.length - 1} times).`,
    holds,
    columns,
    rows,
    marked: rows.flatMap((r, i) => (i > 0 && r["sticky run"] !== rows[i - 1]["sticky run"] ? [i] : [])),
    seed,
    facts: {records: values.length, runs, batchSize}
  };
}

// ---------------------------------------------------------------------------------------------
// read_committed and read_uncommitted side by side.

export async function proveReadCommitted({seed = 9}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const cluster = oneBrokerCluster(sim);
  const topic = "payments";
  cluster.createTopic(topic, {partitions: 1});
  const producer = new Producer(cluster, {clientId: "payments", transactionalId: "payments-tx"});
  await advanceUntilSettled(sim, producer.initTransactions());
  const txOf = new Map<string, string>();
  const transaction = async (label: string, values: string[], end: "abort" | "commit" | "leave open") => {
    producer.beginTransaction();
    for (const v of values) txOf.set(v, label);
    await advanceUntilSettled(sim, producer.send(values.map((v): ProducerRecord => ({topic, key: v.split(":")[0], value: v}))));
    if (end === "commit") await advanceUntilSettled(sim, producer.commitTransaction());
    if (end === "abort") await advanceUntilSettled(sim, producer.abortTransaction());
  };
  await transaction("1 (aborted)", ["pay-1:debit", "pay-1:fee", "pay-1:credit"], "abort");
  await transaction("2 (committed)", ["pay-2:debit", "pay-2:credit"], "commit");
  await transaction("3 (still open)", ["pay-3:debit"], "leave open");

  for (const isolationLevel of ["read_committed", "read_uncommitted"] as const) {
    const consumer = new Consumer(cluster, {clientId: isolationLevel, isolationLevel, autoOffsetReset: "earliest"});
    consumer.assignPartitions([{topic, partition: 0}]);
    consumer.run({eachMessage: () => {}});
  }
  await sim.advance(1_000); // well inside transaction.timeout.ms (60 s): transaction 3 stays open
  const p = cluster.partition(topic, 0);
  // The partition's log from the run's tables: the data records the leader appended and the control
  // records the transactions' ends wrote, in offset order, with what each consumer (its client id) received.
  const sees = (member: string, as: string) =>
    recordsConsumed(sim).params({member}).filter((d: {member: string}, $: {member: string}) => d.member === $.member).select("offset").derive({[as]: () => true});
  const table = recordsAppended(sim)
    .derive({record: (d: {value: string}) => d.value, transaction: aq.escape((d: {value: string}) => txOf.get(d.value) ?? "")})
    .select("offset", "record", "transaction")
    .concat(transactionMarkers(sim).derive({record: (d: {type: string}) => d.type + " marker", transaction: () => ""}).select("offset", "record", "transaction"))
    .orderby("offset")
    .lookup(sees("read_uncommitted", "read_uncommitted sees"), "offset", "read_uncommitted sees")
    .lookup(sees("read_committed", "read_committed sees"), "offset", "read_committed sees")
    .impute({"read_uncommitted sees": () => false, "read_committed sees": () => false});
  const {columns, rows} = tableRows(table);
  const committedValues = rows.filter((r) => r["read_committed sees"]).map((r) => r.record);
  const dataRows = rows.filter((r) => !String(r.record).endsWith("marker"));
  const holds =
    committedValues.join() === "pay-2:debit,pay-2:credit" &&
    dataRows.every((r) => r["read_uncommitted sees"]) &&
    rows.every((r) => !(String(r.record).endsWith("marker") && (r["read_committed sees"] || r["read_uncommitted sees"]))) &&
    p.lastStableOffset < p.highWatermark;
  return {
    summary:
      `The high watermark is ${p.highWatermark}, the last stable offset ${p.lastStableOffset} (the first record of the open transaction). read_uncommitted read all ${dataRows.length} data records, aborted ones included; ` +
      `read_committed read only the ${committedValues.length} committed ones and waits at the last stable offset. Markers take offsets, but no consumer receives them.`,
    holds,
    columns,
    rows,
    marked: rows.flatMap((r, i) => (r["read_uncommitted sees"] && !r["read_committed sees"] ? [i] : [])),
    seed,
    facts: {highWatermark: p.highWatermark, lastStableOffset: p.lastStableOffset, dataRecords: dataRows.length, uncommittedRead: rows.filter((r) => r["read_uncommitted sees"]).length, committedRead: committedValues.length}
  };
}

// ---------------------------------------------------------------------------------------------
// A producer retry after a lost acknowledgement, with idempotence off and on.

export async function proveIdempotentProducer({seed = 4}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const cluster = oneBrokerCluster(sim);
  const rows: ProofRow[] = [];
  for (const idempotent of [false, true]) {
    const topic = idempotent ? "payments-idempotent" : "payments-plain";
    cluster.createTopic(topic, {partitions: 1});
    const producer = new Producer(cluster, {clientId: `producer-${topic}`, idempotent});
    // The broker appends the batch but its answer is lost: after request.timeout.ms (30 s) the
    // producer sends the same batch again, with the same producer id and sequence.
    producer.loseAcks(1);
    const started = sim.now;
    const [metadata] = await advanceUntilSettled(sim, producer.send({topic, key: "order-1042", value: {type: "PaymentCompleted", eventId: "evt-501"}}));
    const appends = sim.trace.filter("kafka.append").filter((e) => e.topic === topic).length;
    const duplicate = sim.trace.filter("kafka.produce.duplicate").some((e) => e.topic === topic);
    const copies = cluster.records(topic, 0).filter((r) => r.type === "data").length;
    rows.push({
      "enable.idempotence": idempotent, "producer id": producer.producerId, "sends of the batch": sim.trace.filter("kafka.ack.lost").filter((e) => e.topic === topic).length + 1,
      "broker answer to the retry": duplicate ? `duplicate: offset ${metadata.offset} already holds it` : `appended again (${appends} appends)`,
      "acknowledged after (s)": Math.round((sim.now - started) / 100) / 10,
      "copies in the log": copies
    });
  }
  const holds = rows[0]["copies in the log"] === 2 && rows[1]["copies in the log"] === 1;
  return {
    summary: "With idempotence off the broker cannot tell a retry from a new record and stores the payment twice. With it on (the default since Kafka 3.0) the retry carries the same producer id and sequence, and the broker answers with the original offset instead of appending.",
    holds,
    columns: Object.keys(rows[0]),
    rows,
    marked: [0],
    seed,
    facts: {plainCopies: rows[0]["copies in the log"] as number, idempotentCopies: rows[1]["copies in the log"] as number}
  };
}

// ---------------------------------------------------------------------------------------------
// Adding partitions: per-key order across the change.

export async function provePartitionGrowth({seed = 6}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const cluster = oneBrokerCluster(sim);
  const before = 3;
  const after = 4;
  const orders = Array.from({length: 24}, (_, i) => `order-${1042 + i}`);
  // The cluster model has no CreatePartitions, so the topic is created with its final four
  // partitions and, until the change, records go where a three-partition topic would put them
  // (hash % 3). That is the state of a topic that grew: Kafka never moves written records.
  cluster.createTopic("orders", {partitions: after});
  const producer = new Producer(cluster, {clientId: "order-service"});
  await advanceUntilSettled(sim, producer.send(orders.map((key) => ({topic: "orders", key, partition: partitionForKey(key, before), value: `${key} OrderPlaced`}))));
  await advanceUntilSettled(sim, producer.send(orders.map((key) => ({topic: "orders", key, value: `${key} OrderShipped`}))));

  // One consumer per partition, one record per poll, each taking 15-24 ms: partitions are read in parallel.
  for (let partition = 0; partition < after; partition++) {
    const consumer = new Consumer(cluster, {autoOffsetReset: "earliest", maxPollRecords: 1, processingMs: 15 + sim.random.int(10)});
    consumer.assignPartitions([{topic: "orders", partition}]);
    consumer.run({eachMessage: () => {}});
  }
  const start = sim.now;
  await sim.advance(60_000);

  // Each key's two events side by side: where each was written and when it was read. A moved key's two events sit in different partitions.
  type Row = {key: string; value: string; type: string; time: number};
  const typed = (t: ColumnTable) => t.derive({type: (d: Row) => op.replace(d.value, d.key + " ", "")}); // "order-1042 OrderPlaced" => "OrderPlaced"
  const only = (t: ColumnTable, type: string) => t.params({type}).filter((d: Row, $: {type: string}) => d.type === $.type);
  const written = typed(recordsAppended(sim));
  const read = typed(recordsConsumed(sim)).derive({time: aq.escape((d: Row) => d.time - start)});
  const table = only(written, "OrderPlaced")
    .join(only(written, "OrderShipped"), "key", [["key", "partition"], ["partition"]], {suffix: [" before", " after"]})
    .filter((d: Record<string, number>) => d["partition before"] !== d["partition after"])
    .lookup(only(read, "OrderPlaced"), "key", "time")
    .rename({time: "OrderPlaced read at (ms)"})
    .lookup(only(read, "OrderShipped"), "key", "time")
    .rename({time: "OrderShipped read at (ms)"})
    .derive({"order kept": (d: Record<string, number>) => d["OrderPlaced read at (ms)"] < d["OrderShipped read at (ms)"]})
    .orderby("key");
  const {columns, rows} = tableRows(table);
  const broken = rows.filter((r) => !r["order kept"]);
  const holds = rows.length > 0 && broken.length > 0 && read.numRows() === 2 * orders.length;
  return {
    summary: `Going from ${before} to ${after} partitions moved ${rows.length} of ${orders.length} keys. Their OrderShipped went to another partition while OrderPlaced stayed where it was; read in parallel, ${broken.length} of them were shipped before they were placed, as far as the consumers could tell.`,
    holds,
    columns,
    rows,
    marked: rows.flatMap((r, i) => (r["order kept"] ? [] : [i])),
    seed,
    facts: {keys: orders.length, moved: rows.length, outOfOrder: broken.length, read: read.numRows()}
  };
}

// ---------------------------------------------------------------------------------------------
// EventBridge: a numeric filter and a number sent as a string.

export async function proveEventBridgeNumeric({seed = 8}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const bus = createEventBridge(sim);
  const queue = bus.createQueue("large-payments");
  const pattern = {source: ["shop.payments"], "detail-type": ["PaymentCompleted"], detail: {amount: [{numeric: [">", 100]}]}};
  bus.putRule({Name: "large-payments", EventPattern: pattern});
  bus.putTargets({Rule: "large-payments", Targets: [{Id: "review-queue", Arn: queue.arn, InputPath: "$.detail"}]});
  const amounts: unknown[] = [150, "150", 100, 100.5, 80, undefined];
  const details = amounts.map((amount, i) => ({paymentId: `pay-${i + 1}`, ...(amount === undefined ? {} : {amount})}));
  bus.putEvents({Entries: details.map((d) => ({Source: "shop.payments", DetailType: "PaymentCompleted", Detail: JSON.stringify(d)}))});
  await sim.runUntilIdle();

  const delivered = new Set(queue.messages.map((m) => (JSON.parse(m.Body) as {paymentId: string}).paymentId));
  const rows = details.map((detail) => {
    const field = explainMatch(pattern, {source: "shop.payments", "detail-type": "PaymentCompleted", detail}).fields.find((f) => f.path === "detail.amount");
    return {paymentId: detail.paymentId, "detail.amount": "amount" in detail ? JSON.stringify(detail.amount) : "(missing)", "rule says": field?.reason ?? "", "delivered to the queue": delivered.has(detail.paymentId)};
  });
  const holds = [...delivered].sort().join() === "pay-1,pay-4" && !delivered.has("pay-2");
  return {
    summary: `Of ${details.length} PaymentCompleted events, the rule sent ${delivered.size} to its queue: the JSON numbers above 100. The amount "150", written as a string, did not match: a numeric filter compares JSON numbers only.`,
    holds,
    columns: Object.keys(rows[0]),
    rows,
    marked: rows.flatMap((r, i) => (r["detail.amount"] === '"150"' ? [i] : [])),
    seed,
    facts: {events: details.length, delivered: delivered.size, stringMatched: delivered.has("pay-2")}
  };
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// 11.3: a share-group member (KIP-932) crashes holding records it acquired.

export async function proveShareGroupLock({seed = 12}: ProofOptions = {}): Promise<ProofResult> {
  const sim = createSimulation({seed});
  const cluster = oneBrokerCluster(sim);
  cluster.createTopic("jobs", {partitions: 1});
  const lockMs = cluster.shareGroups.configure("workers", {autoOffsetReset: "earliest"}).recordLockDurationMs;
  await advanceUntilSettled(sim, cluster.producer().send(["resize-1", "resize-2", "resize-3", "resize-4"].map((value) => ({topic: "jobs", key: null, value}))));
  const rows: ProofRow[] = [];
  const worker1 = cluster.shareConsumer({groupId: "workers", clientId: "worker-1", acknowledgementMode: "explicit", maxPollRecords: 2});
  const worker2 = cluster.shareConsumer({groupId: "workers", clientId: "worker-2", acknowledgementMode: "explicit", maxPollRecords: 2});
  worker1.subscribe("jobs");
  worker2.subscribe("jobs");
  // worker-1 acquires two jobs and dies before acknowledging either.
  for (const r of await advanceUntilSettled(sim, worker1.poll(1000))) rows.push({"time (ms)": sim.now, member: "worker-1", offset: r.offset, job: String(r.value), "delivery count": r.deliveryCount, outcome: "acquired, then the process crashed"});
  worker1.crash();
  const crashedAt = sim.now;
  // worker-2 keeps polling and accepts whatever it gets, until every job is accepted.
  const sp = cluster.shareGroups.sharePartition("workers", "jobs", 0);
  while (sp.startOffset < 4 && sim.now < crashedAt + 2 * lockMs) {
    for (const r of await advanceUntilSettled(sim, worker2.poll(5000), {limitMs: 3_600_000})) {
      rows.push({"time (ms)": sim.now, member: "worker-2", offset: r.offset, job: String(r.value), "delivery count": r.deliveryCount, outcome: "ACCEPT"});
      worker2.acknowledge(r, "ACCEPT");
    }
    await advanceUntilSettled(sim, worker2.commitSync());
  }
  const again = rows.filter((r) => r.member === "worker-2" && r["delivery count"] === 2);
  const redeliveredAfterMs = again.length > 0 ? Number(again[0]["time (ms)"]) - crashedAt : -1;
  const accepted = rows.filter((r) => r.outcome === "ACCEPT").length;
  const holds = again.length === 2 && redeliveredAfterMs >= lockMs && accepted === 4 && sp.startOffset === 4;
  return {
    summary:
      `worker-1 acquired 2 jobs and crashed. worker-2 got the other jobs at once, but the crashed member's jobs only ${redeliveredAfterMs} ms later, when their ` +
      `${lockMs / 1000} s locks (group.share.record.lock.duration.ms) had expired, with delivery count 2. Nothing was lost and no offset was rewound: the share-partition kept each record's state.`,
    holds,
    columns: Object.keys(rows[0]),
    rows,
    marked: rows.flatMap((r, i) => (r["delivery count"] === 2 ? [i] : [])),
    seed,
    facts: {records: 4, lockMs, crashedHeld: rows.filter((r) => r.member === "worker-1").length, redeliveredAfterMs, redeliveredWithCount2: again.length, accepted}
  };
}
