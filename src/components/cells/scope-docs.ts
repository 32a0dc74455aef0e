// Completion help for the experiment scope (scope.ts): what the editor offers while typing. Kept
// apart from scope.ts so the page does not load the simulation to show a hint; test/cells checks
// that every name here exists in the worker's scope.
import {tableDocs} from "../tables/columns.js";

export interface ScopeDoc {
  name: string;
  kind: "variable" | "function" | "class" | "constant";
  /** A signature, shown next to the name. */
  detail: string;
  info: string;
  /** Completions after `name.` */
  members?: ScopeDoc[];
}

const simMembers: ScopeDoc[] = [
  {name: "now", kind: "variable", detail: "number", info: "Virtual time in ms since the start of the run."},
  {name: "random", kind: "variable", detail: "Random", info: "The run's only random source: next(), int(lo, hi), chance(p), pick(list), exponential(mean)."},
  {name: "trace", kind: "variable", detail: "Trace", info: "Every event the models recorded: {time, kind, ...}."},
  {name: "schedule", kind: "function", detail: "(delay, task, {background?}) => Timer", info: "Runs task after delay virtual ms."},
  {name: "every", kind: "function", detail: "(interval, task) => Timer", info: "Runs task every interval ms until cancelled (background: does not keep a run alive)."},
  {name: "cancel", kind: "function", detail: "(timer) => void", info: "Cancels a scheduled or periodic task."},
  {name: "record", kind: "function", detail: "(kind, fields?) => TraceEvent", info: "Appends an event stamped with sim.now to the trace."},
  {name: "advance", kind: "function", detail: "(ms) => Promise<void>", info: "Runs every task due in the next ms virtual ms. Await it."},
  {name: "runUntilIdle", kind: "function", detail: "() => Promise<void>", info: "Runs tasks until only background timers remain. Await it."},
  {name: "pending", kind: "variable", detail: "number", info: "Foreground tasks still to run."}
];

const fn = (name: string, detail: string, info: string): ScopeDoc => ({name, kind: "function", detail, info});

const aqMembers: ScopeDoc[] = [
  fn("from", "(rows) => Table", "A table from an array of records (or a Map, or entries)."),
  fn("table", "({column: values}) => Table", "A table from named columns."),
  fn("desc", "(column) => ...", "Descending order for orderby: table.orderby(aq.desc(\"lag\"))."),
  fn("rolling", "(expr, frame?) => ...", "A window over ordered rows for derive: aq.rolling((d) => op.sum(d.records)) is a running total."),
  fn("escape", "(fn) => ...", "Lets a derive or filter function use variables from your code (other expressions see only d and params)."),
  fn("agg", "(table, expr) => value", "One aggregate of a whole table: aq.agg(t, op.max(\"lag\"))."),
  fn("fromCSV", "(text) => Table", "A table from CSV text."),
  fn("fromJSON", "(json) => Table", "A table from JSON.")
];

const opMembers: ScopeDoc[] = [
  fn("count", "() => number", "Rows in the group (rollup) or the table."),
  fn("sum", "(column) => number", "Sum of a column: op.sum(\"records\") or (d) => op.sum(d.records)."),
  fn("mean", "(column) => number", "Mean of a column."),
  fn("min", "(column) => value", "Smallest value."),
  fn("max", "(column) => value", "Largest value."),
  fn("distinct", "(column) => number", "How many distinct values."),
  fn("any", "(column) => value", "Any one value of the group (for a column constant within it)."),
  fn("array_agg", "(column) => array", "The group's values, as an array, in row order."),
  fn("array_agg_distinct", "(column) => array", "The group's distinct values."),
  fn("lag", "(column, n = 1) => value", "Window: the value n rows before, within the group, in orderby order."),
  fn("lead", "(column, n = 1) => value", "Window: the value n rows after."),
  fn("row_number", "() => number", "Window: 1, 2, 3, ... within the group."),
  fn("first_value", "(column) => value", "Window: the group's first value."),
  fn("last_value", "(column) => value", "Window: the group's last value."),
  fn("floor", "(x) => number", "Math.floor, for time windows: op.floor(d.time / 1000) * 1000.")
];

/** The run tables (src/components/tables): one function per trace kind. */
const tableFunctions: ScopeDoc[] = Object.entries(tableDocs).map(([name, doc]) => fn(name, doc.detail, `${doc.summary} Pass sim (or its trace). Columns: ${Object.keys(doc.columns).join(", ")}.`));

export const scopeDocs: ScopeDoc[] = [
  {name: "sim", kind: "variable", detail: "Simulation", info: "This run's simulation, seeded with params.seed (default 1). Same seed, same code: same trace.", members: simMembers},
  {name: "params", kind: "variable", detail: "Record<string, unknown>", info: "The cell's parameters (part of a share link)."},
  {name: "createSimulation", kind: "function", detail: "({seed?, trace?, maxSteps?}) => Simulation", info: "Another simulation, e.g. to compare two seeds."},
  {name: "Kafka", kind: "class", detail: "new ({clientId?, sim})", info: "kafkajs-shaped client of a simulated 3-broker cluster: kafka.admin().createTopics, kafka.producer().send({topic, messages}), kafka.consumer({groupId}).subscribe/run({eachMessage}). Pass {sim} to share this run's clock."},
  {name: "connect", kind: "function", detail: "(url, {broker}) => Promise<Connection>", info: "amqplib-shaped: const conn = await connect(\"amqp://localhost\", {broker: createBroker(sim)}); const ch = await conn.createChannel()."},
  {name: "createBroker", kind: "function", detail: "(sim) => Broker", info: "A simulated RabbitMQ broker for connect(url, {broker})."},
  {name: "EventBridgeClient", kind: "class", detail: "new ({sim}) ", info: "AWS SDK v3-shaped client of a simulated EventBridge: await client.send(new PutEventsCommand({Entries}))."},
  {name: "PutEventsCommand", kind: "class", detail: "new ({Entries})", info: "Entries: [{Source, DetailType, Detail (a JSON string), EventBusName?}]."},
  {name: "PutRuleCommand", kind: "class", detail: "new ({Name, EventPattern})", info: "Creates or updates a rule; EventPattern is a JSON string."},
  {name: "PutTargetsCommand", kind: "class", detail: "new ({Rule, Targets})", info: "Targets: [{Id, Arn}]; client.eventBridge.createFunction/createQueue make targets with an arn."},
  {name: "TestEventPatternCommand", kind: "class", detail: "new ({EventPattern, Event})", info: "Does the pattern match the event? Resolves with {Result}."},
  {name: "ListRulesCommand", kind: "class", detail: "new ({NamePrefix?})", info: "The bus's rules."},
  {name: "SchemaRegistry", kind: "class", detail: "new ({compatibility?})", info: "Confluent-style registry: register(subject, schema) → {id, version}; compatibility BACKWARD by default."},
  {name: "topicNameStrategy", kind: "function", detail: "(topic, part?) => string", info: "The subject of a topic's values: `${topic}-value`."},
  {name: "encodeWire", kind: "function", detail: "(schemaId, schema, value) => Uint8Array", info: "Confluent wire format: magic byte 0, 4-byte schema id, Avro binary."},
  {name: "decodeWire", kind: "function", detail: "(bytes, lookup, readerSchema?) => {schemaId, value}", info: "Reads the wire format; lookup(id) returns the writer's schema."},
  {name: "createAvroSerializer", kind: "function", detail: "(registry, {subject, schema}) => (value) => bytes", info: "KafkaAvroSerializer: registers the schema on first use."},
  {name: "createAvroDeserializer", kind: "function", detail: "(registry, {readerSchema?}) => (bytes) => value", info: "KafkaAvroDeserializer: the writer's schema comes from the registry."},
  {
    name: "aq",
    kind: "variable",
    detail: "arquero",
    info: "arquero: tables you query with verbs: filter, derive, groupby, rollup, count, orderby, select, join, semijoin, pivot, objects(). Functions in verbs see a row d (and op), not your variables: aq.escape or params for those. A table returned from the code is drawn as a table.",
    members: aqMembers
  },
  {name: "op", kind: "variable", detail: "arquero ops", info: "Aggregate and window functions for rollup, derive and filter: op.count(), op.sum(\"x\"), op.lag(d.x), ...", members: opMembers},
  ...tableFunctions,
  fn("kafkaHistory", "(events, {reader?, identify?, name?}) => History", "A Kafka run's history from its trace (sim.trace.events): every append, produce acknowledgement, delivery (with partition and offset), member commit, crash, revocation and transaction end. One reader per history: pass reader: (e) => e.group === \"billing\" when several groups read."),
  fn("checkHistory", "(history) => Verdict", "The delivery-history checker: {deliveries, delivered, redeliveries, lost, duplicated (each with its deliveries and causes: producer-retry, crash, rebalance, redelivered), reordered, uncommittedReads, valid}."),
  fn("tally", "(verdict) => Tally", "A verdict's counts: {valid, lost, duplicated, duplicates, causes, reordered, uncommittedReads}."),
  fn("compareRuns", "({label, history}, {label, history}) => Comparison", "Two runs of one seed that differ in one setting, aligned operation by operation: the first divergence, each run's verdict, the consequences, and a sentence. Returned from a cell, it is drawn on one time axis."),
  fn("anomalyMoments", "(verdict) => Moment[]", "Every anomaly of a verdict at the moment it shows, in time order: {anomaly, message, time, text}."),
  fn("messageId", "(key, seq) => string", "The name of the seq-th message of key (\"order-3#7\"), as histories name messages."),
  {name: "logView", kind: "function", detail: "(trace, {topic?}) => LogViewRequest", info: "End a cell with logView(sim.trace) (or {topic: \"orders\"}) to draw the topic's partitions as a log you can step through: offsets, keys, markers, high watermark, last stable offset, and each group's committed offset, positions and lag."},
  {name: "checkCompatibility", kind: "function", detail: "(level, candidate, previous[]) => report", info: "Would the registry accept candidate after previous under level (BACKWARD, FORWARD, FULL, …_TRANSITIVE, NONE)?"}
];
