// Starter experiments for the playground: one per facade, and questions asked of a run's tables. Each is the code a reader starts
// from; test/e2e/cells.e2e.test.ts runs every one in the browser and expects no error.

export interface Snippet {
  /** Part of the cell id: keys saved edits and share links. */
  id: string;
  title: string;
  code: string;
}

export const snippets: Snippet[] = [
  {
    id: "kafka-consumer-group",
    title: "Kafka: produce, then consume with a consumer group",
    code: `// Two consumers in one group share the topic's partitions; each record goes to one of them.
const kafka = new Kafka({clientId: "shop", sim});
await kafka.admin().createTopics({topics: [{topic: "orders", numPartitions: 3}]});

const producer = kafka.producer();
await producer.connect();
await producer.send({
  topic: "orders",
  messages: ["alice", "bob", "carol", "dave", "erin", "frank"].map((customer, i) => ({
    key: customer,
    value: JSON.stringify({order: i + 1, customer})
  }))
});

const received: {consumer: string; partition: number; offset: string; key: string}[] = [];
for (const name of ["billing-1", "billing-2"]) {
  const consumer = kafka.consumer({groupId: "billing"});
  await consumer.connect();
  await consumer.subscribe({topics: ["orders"], fromBeginning: true});
  await consumer.run({
    eachMessage: async ({partition, message}) => {
      received.push({consumer: name, partition, offset: message.offset, key: String(message.key)});
    }
  });
}
await sim.advance(10_000); // virtual time: the group forms, then the consumers fetch

console.log(\`\${received.length} records consumed at virtual time \${sim.now} ms\`);
received`
  },
  {
    id: "rabbitmq-topic-exchange",
    title: "RabbitMQ: a topic exchange and competing consumers",
    code: `// Routing keys are matched against binding patterns: * is one word, # is zero or more.
const conn = await connect("amqp://localhost", {broker: createBroker(sim)});
const ch = await conn.createChannel();
await ch.assertExchange("orders", "topic");
await ch.assertQueue("eu-orders");
await ch.bindQueue("eu-orders", "orders", "order.eu.*");

// Two consumers on one queue compete: each message goes to one of them.
const handled: {worker: string; routingKey: string; body: string}[] = [];
for (const worker of ["worker-a", "worker-b"]) {
  await ch.consume("eu-orders", (msg) => {
    if (!msg) return;
    handled.push({worker, routingKey: msg.fields.routingKey, body: msg.content.toString()});
    ch.ack(msg);
  });
}

const keys = ["order.eu.created", "order.us.created", "order.eu.paid", "order.eu.shipped", "order.eu.created"];
keys.forEach((key, i) => ch.publish("orders", key, JSON.stringify({order: i + 1})));
await sim.runUntilIdle();
handled`
  },
  {
    id: "eventbridge-rule",
    title: "EventBridge: a rule with a pattern",
    code: `// A rule matches events by pattern; only matching events reach its target.
const client = new EventBridgeClient({sim});
const billing = client.eventBridge.createQueue("billing");

await client.send(new PutRuleCommand({
  Name: "big-orders",
  EventPattern: JSON.stringify({
    source: ["shop.orders"],
    "detail-type": ["OrderPlaced"],
    detail: {total: [{numeric: [">=", 100]}]}
  })
}));
await client.send(new PutTargetsCommand({Rule: "big-orders", Targets: [{Id: "billing", Arn: billing.arn}]}));

const totals = [20, 150, 99, 480];
const {FailedEntryCount} = await client.send(new PutEventsCommand({
  Entries: totals.map((total, i) => ({
    Source: "shop.orders",
    DetailType: "OrderPlaced",
    Detail: JSON.stringify({orderId: \`o-\${i + 1}\`, total})
  }))
}));
await sim.runUntilIdle();

console.log(\`\${totals.length} events put, \${FailedEntryCount} failed, \${billing.messages.length} matched\`);
billing.messages.map((m) => ({arrivedAt: m.SentTimestamp, ...JSON.parse(m.Body).detail}))`
  },
  {
    id: "schema-versions",
    title: "Schema registry: two versions of a schema",
    code: `// Register v1, then a v2 that adds a field with a default: BACKWARD compatible.
const registry = new SchemaRegistry({compatibility: "BACKWARD"});
const subject = topicNameStrategy("orders");

const v1 = {type: "record", name: "Order", fields: [
  {name: "id", type: "string"},
  {name: "total", type: "double"}
]};
const v2 = {...v1, fields: [...v1.fields, {name: "currency", type: "string", default: "EUR"}]};

const first = registry.register(subject, v1);
const second = registry.register(subject, v2);

// A v2 consumer reads bytes a v1 producer wrote: the missing field takes its default.
const bytes = createAvroSerializer(registry, {subject, schema: v1})({id: "o-1", total: 42.5});
const read = createAvroDeserializer(registry, {readerSchema: v2})(bytes);
console.log("wire bytes:", bytes);

// Dropping a field without a default is refused under BACKWARD:
const v3 = {...v1, fields: [{name: "id", type: "string"}, {name: "paid", type: "boolean"}]};
const verdict = checkCompatibility("BACKWARD", v3, [v1, v2]);

[
  {step: "register v1", result: \`id \${first.id}, version \${first.version}\`},
  {step: "register v2", result: \`id \${second.id}, version \${second.version}\`},
  {step: "v2 reads v1 bytes", result: JSON.stringify(read)},
  {step: "v3 (adds a field without default) under BACKWARD", result: verdict.compatible ? "accepted" : "refused"}
]`
  },
  {
    id: "kernel-timeline",
    title: "The simulation kernel: a clock and a seeded random source",
    code: `// Everything runs on virtual time: sim.schedule(delay, task); sim.runUntilIdle() runs it.
// The seed (params.seed) fixes every random draw, so a run replays exactly.
const arrivals: {time: number; order: string}[] = [];
let t = 0;
for (let i = 1; i <= 8; i++) {
  t += sim.random.exponential(100); // mean gap of 100 ms
  sim.schedule(t, () => {
    sim.record("shop.order", {order: \`o-\${i}\`});
    arrivals.push({time: Math.round(sim.now), order: \`o-\${i}\`});
  });
}
await sim.runUntilIdle();
arrivals`
  },
  {
    id: "tables-lag-per-partition",
    title: "Tables: consumer lag per partition over time (arquero)",
    code: `// Every run is a set of tables: recordsAppended(sim), recordsConsumed(sim), offsetCommits(sim),
// consumerLag(sim), ... (Ctrl-Space lists them with their columns). Query them with arquero's verbs.
// Here a hot key sends most orders to one partition: which partition falls behind, and when?
const kafka = new Kafka({clientId: "shop", sim});
await kafka.admin().createTopics({topics: [{topic: "orders", numPartitions: 3}]});
const producer = kafka.producer();
await producer.connect();
const consumer = kafka.consumer({groupId: "billing"});
await consumer.connect();
await consumer.subscribe({topics: ["orders"], fromBeginning: true});
// One record per 50 ms per partition at most: the billing service's pace.
await consumer.run({eachMessage: async () => { await new Promise((done) => sim.schedule(50, done)); }});

for (let second = 0; second < 5; second++) {
  sim.schedule(second * 1000, () => void producer.send({
    topic: "orders",
    messages: Array.from({length: 30}, (_, i) => ({key: i % 3 === 0 ? \`customer-\${i}\` : "big-customer", value: "order"}))
  }));
}
await sim.advance(12_000);

// Lag at the end of every second, one column per partition (pivot), and when each partition peaked.
const lag = consumerLag(sim, {bucketMs: 1000}).derive({partition: (d) => "partition " + d.partition});
const peaks = lag
  .groupby("partition")
  .orderby(aq.desc("lag"), "time")
  .filter((d) => op.row_number() === 1)
  .select("partition", "time", "lag");
console.log("peak lag per partition:", peaks.objects());
lag.groupby("time").pivot("partition", "lag").orderby("time")`
  },
  {
    id: "tables-duplicates-per-key",
    title: "Tables: duplicates per key, with their delivery times (arquero)",
    code: `// At-least-once: a consumer that stops before committing leaves its records to be delivered again.
// Which keys were delivered twice, when, to whom, and how long after they were written?
const kafka = new Kafka({clientId: "shop", sim});
await kafka.admin().createTopics({topics: [{topic: "payments", numPartitions: 2}]});
const producer = kafka.producer();
await producer.connect();
await producer.send({
  topic: "payments",
  messages: Array.from({length: 12}, (_, i) => ({key: \`order-\${1040 + (i % 4)}\`, value: JSON.stringify({payment: i + 1})}))
});

// Both members commit by hand after every 4th record; billing-1 stops after its 6th.
// (Member ids are the client id and a number: shop-1 is billing-1.)
const members = ["billing-1", "billing-2"].map((name) => ({name, consumer: kafka.consumer({groupId: "billing"}), handled: 0}));
for (const m of members) {
  await m.consumer.connect();
  await m.consumer.subscribe({topics: ["payments"], fromBeginning: true});
  await m.consumer.run({
    autoCommit: false,
    eachMessage: async ({topic, partition, message}) => {
      m.handled++;
      if (m.handled % 4 === 0) await m.consumer.commitOffsets([{topic, partition, offset: String(Number(message.offset) + 1)}]);
      if (m.name === "billing-1" && m.handled === 6) void m.consumer.disconnect(); // gone, its last 2 records uncommitted
    }
  });
}
await sim.advance(60_000);

const written = recordsAppended(sim).select("topic", "partition", "offset", {time: "writtenAt"});
recordsConsumed(sim)
  .join(written, [["topic", "partition", "offset"]])
  .derive({after: (d) => d.time - d.writtenAt})
  .groupby("key", "partition", "offset")
  .rollup({deliveries: op.count(), times: op.array_agg("time"), msAfterWrite: op.array_agg("after"), members: op.array_agg("member")})
  .filter((d) => d.deliveries > 1)
  .orderby("key", "offset")`
  },
  {
    id: "tables-share-of-work",
    title: "Tables: each consumer's share of the work (arquero)",
    code: `// Three members of a group share six partitions; a fourth joins halfway. How much of the work did
// each member do, on which partitions, and how many rebalances did that take?
const kafka = new Kafka({clientId: "shop", sim});
await kafka.admin().createTopics({topics: [{topic: "clicks", numPartitions: 6}]});
const producer = kafka.producer();
await producer.connect();
for (let t = 0; t < 40; t++) {
  sim.schedule(t * 250, () => void producer.send({topic: "clicks", messages: [{key: \`user-\${sim.random.int(50)}\`, value: "click"}]}));
}
const join = async () => {
  const consumer = kafka.consumer({groupId: "analytics"});
  await consumer.connect();
  await consumer.subscribe({topics: ["clicks"], fromBeginning: true});
  await consumer.run({eachMessage: async () => {}});
};
for (let i = 0; i < 3; i++) await join();
sim.schedule(5000, () => void join());
await sim.advance(20_000);

console.log(\`\${groupRebalances(sim).numRows()} rebalances\`);
recordsConsumed(sim)
  .groupby("member")
  .rollup({records: op.count(), partitions: op.array_agg_distinct("partition"), first: op.min("time"), last: op.max("time")})
  .derive({share: (d) => op.round((100 * d.records) / op.sum(d.records)) + "%"})
  .orderby(aq.desc("records"))`
  },
  {
    id: "history-compare-runs",
    title: "History: what one setting changes (compareRuns)",
    code: `// The same seed twice, one setting changed: how often the billing group commits. kafkaHistory(trace)
// turns a run into its history (every append, delivery, commit, crash, rebalance), checkHistory
// finds what went wrong in it, and compareRuns aligns two of them operation by operation.
async function run(commitEvery: number) {
  const sim = createSimulation({seed: params.seed});
  const kafka = new Kafka({clientId: "shop", sim});
  await kafka.admin().createTopics({topics: [{topic: "payments", numPartitions: 1}]});
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({topic: "payments", messages: Array.from({length: 10}, (_, i) => ({key: \`order-\${1040 + (i % 3)}\`, value: String(i)}))});
  // Two members; billing-1 commits by hand every commitEvery records and leaves after its 7th.
  const members = ["billing-1", "billing-2"].map((name) => ({name, consumer: kafka.consumer({groupId: "billing"}), handled: 0}));
  for (const m of members) {
    await m.consumer.connect();
    await m.consumer.subscribe({topics: ["payments"], fromBeginning: true});
    await m.consumer.run({
      autoCommit: false,
      eachMessage: async ({topic, partition, message}) => {
        await new Promise((done) => sim.schedule(20, done)); // 20 ms of work per record
        m.handled++;
        if (m.handled % commitEvery === 0) await m.consumer.commitOffsets([{topic, partition, offset: String(Number(message.offset) + 1)}]);
        if (m.name === "billing-1" && m.handled === 7) void m.consumer.disconnect();
      }
    });
  }
  await sim.advance(60_000);
  return kafkaHistory(sim.trace.events);
}

const every = await run(1);
const fourth = await run(4);
console.log("verdict, committing every 4th record:", tally(checkHistory(fourth)));
// Returned, a comparison is drawn on one time axis: press an anomaly to mark its moment.
compareRuns({label: "commit every record", history: every}, {label: "commit every 4th record", history: fourth})`
  }
];
