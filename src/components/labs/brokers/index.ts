// 11.3's experiments, as the claims and the page run them: a Kafka log read by four consumer
// groups, a RabbitMQ work queue with competing agents, the routing builder, an EventBridge bus,
// the pattern explainer, the three brokers side by side, and the decision helper. Defaults,
// presets and claims: data/scenarios/brokers.json.
// Each experiment has a `view`: what the page draws of its run (view.ts), which is all the lab's
// worker (worker.ts) sends back besides the metrics.
import {experiment} from "../../claims/claim.js";
import {explainMatch, InvalidEventError, InvalidEventPatternError, type MatchExplanation} from "../../eventbridge/pattern.js";
import {runLogWorkload, type LogWorkloadOptions, type LogWorkloadRun} from "./kafka-log.js";
import {runRetention, TOPIC as RETENTION_TOPIC, type RetentionRun} from "./retention.js";
import type {WorkQueueRun} from "./work-queue.js";
import {parseBindings, parseHeaders, routeMessage, type RouteOutcome} from "./routing.js";
import {runBusWorkload, type BusWorkloadOptions, type BusWorkloadRun} from "./bus.js";
import {runSideBySide, type BrokerName, type SideBySideOptions, type SideBySideRun} from "./side-by-side.js";
import {recommendBroker, type Recommendation, type Workload} from "./decision.js";
import type {ExchangeType} from "../../rabbitmq/broker.js";
import {jobsFinished, lastDoneMs, longestWaitBehindSlowJob, orderViolations, runTaskComparison, throughput, type TaskBroker, type TaskComparisonOptions, type TaskComparisonRun} from "./share-group.js";
import {runWorkQueueExperiment, type WorkQueueExperimentRun} from "./work-queue-experiment.js";
import {checkTasks} from "./task-history.js";
import {comparisonMetrics, type Comparison} from "../../history/measures.js";
import type {PrefetchComparisonParameters} from "./compare.js";
import {runRebalance, PROTOCOLS, type Protocol, type RebalanceOptions, type RebalanceRun} from "./rebalance.js";
import {logView as logViewOf} from "../../ui/log-state.js";
import {kafkaLogView, rebalanceView, refusal, shownExplanation, taskComparisonView} from "./view.js";

// --- Kafka: one log, many readers ------------------------------------------------------------

export interface KafkaLogParameters extends Omit<LogWorkloadOptions, "groups"> {
  /** Each group's handler time per record, and when fraud-detection joins. */
  analyticsMs: number;
  searchIndexingMs: number;
  feedRankingMs: number;
  fraudDetectionMs: number;
  fraudDetectionJoinsAtMs: number;
}

/** The four consumer groups, in the order the charts draw them. */
export const GROUPS = ["analytics", "search-indexing", "feed-ranking", "fraud-detection"] as const;

export interface KafkaLogRun extends LogWorkloadRun {
  parameters: KafkaLogParameters;
}

export async function runKafkaLog(p: KafkaLogParameters): Promise<KafkaLogRun> {
  const run = await runLogWorkload({
    ...p,
    groups: [
      {groupId: "analytics", processingMs: p.analyticsMs},
      {groupId: "search-indexing", processingMs: p.searchIndexingMs},
      {groupId: "feed-ranking", processingMs: p.feedRankingMs},
      {groupId: "fraud-detection", processingMs: p.fraudDetectionMs, joinAtMs: p.fraudDetectionJoinsAtMs}
    ]
  });
  return {...run, parameters: p};
}

/** A group's largest lag (log end minus records it processed), sampled from when it joined. */
export function maxLag(run: LogWorkloadRun, group: string): number {
  return Math.max(0, ...run.progress.filter((s) => s.group === group && s.joined).map((s) => s.logEnd - s.consumed));
}

/** When the group had processed every record, in ms (Infinity if it never did). */
function caughtUpAt(run: LogWorkloadRun, group: string, records: number): number {
  return run.progress.find((s) => s.group === group && s.consumed >= records)?.time ?? Infinity;
}

export const kafkaLog = experiment({
  run: runKafkaLog,
  metrics: {
    analyticsMaxLag: (r: KafkaLogRun) => maxLag(r, "analytics"),
    searchIndexingMaxLag: (r: KafkaLogRun) => maxLag(r, "search-indexing"),
    feedRankingMaxLag: (r: KafkaLogRun) => maxLag(r, "feed-ranking"),
    fraudDetectionMaxLag: (r: KafkaLogRun) => maxLag(r, "fraud-detection"),
    feedRankingCaughtUpMs: (r: KafkaLogRun) => caughtUpAt(r, "feed-ranking", r.parameters.records),
    fraudDetectionCaughtUpMs: (r: KafkaLogRun) => caughtUpAt(r, "fraud-detection", r.parameters.records),
    /** When the producer appended its last record. */
    lastAppendMs: (r: KafkaLogRun) => ((r.parameters.records - 1) * 1000) / r.parameters.ratePerSecond,
    records: (r: KafkaLogRun) => r.parameters.records,
    /** The fewest records any group processed: every group reads every record. */
    fewestProcessedByAGroup: (r: KafkaLogRun) => Math.min(...Object.values(r.consumedByGroup)),
    fraudDetectionProcessed: (r: KafkaLogRun) => r.consumedByGroup["fraud-detection"],
    /** Records still in the log once every group is done. */
    retained: (r: KafkaLogRun) => r.retained
  },
  view: (r: KafkaLogRun) => kafkaLogView(r, GROUPS)
});

// --- RabbitMQ: a work queue with competing consumers --------------------------------------------

export {runWorkQueueExperiment, type WorkQueueExperimentRun, type WorkQueueParameters} from "./work-queue-experiment.js";

/** Tickets an agent acknowledged (handled to the end). */
const ackedBy = (r: WorkQueueRun, agent: string | undefined) => r.deliveries.filter((d) => d.worker === agent && d.ackedAt !== null).length;
const distinctTickets = (deliveries: WorkQueueRun["deliveries"]) => new Set(deliveries.map((d) => d.task)).size;

export const workQueue = experiment({
  run: runWorkQueueExperiment,
  metrics: {
    deliveries: (r: WorkQueueExperimentRun) => r.deliveries.length,
    /** Tickets the crashed agent held unacknowledged (handling one, the rest in its prefetch buffer). */
    heldByCrashedAgent: (r: WorkQueueExperimentRun) => Object.values(r.heldAtCrash).reduce((a, b) => a + b, 0),
    /** Tickets delivered more than once (the checker's duplicated messages; RabbitMQ set `redelivered` on the later deliveries). */
    ticketsRedelivered: (r: WorkQueueExperimentRun) => r.verdicts.delivered.duplicated.length,
    /** Tickets whose reply went out twice: the crashed agent had started them (duplicated handlings). */
    ticketsHandledTwice: (r: WorkQueueExperimentRun) => r.verdicts.handled.duplicated.length,
    /** Tickets delivered again after an agent had acknowledged them: an ack is final. */
    ackedThenRedelivered: (r: WorkQueueExperimentRun) => r.deliveries.filter((d) => r.deliveries.some((e) => e.task === d.task && e.ackedAt !== null && e.ackedAt <= d.time && e !== d)).length,
    /** Tickets never acknowledged by anyone. */
    ticketsUnfinished: (r: WorkQueueExperimentRun) => r.parameters.tickets - distinctTickets(r.deliveries.filter((d) => d.ackedAt !== null)),
    agent1Acked: (r: WorkQueueExperimentRun) => ackedBy(r, r.parameters.agents[0]?.name),
    agent2Acked: (r: WorkQueueExperimentRun) => ackedBy(r, r.parameters.agents[1]?.name),
    agent3Acked: (r: WorkQueueExperimentRun) => ackedBy(r, r.parameters.agents[2]?.name),
    /** When the last ticket was acknowledged: the queue's work is done. */
    lastAckMs: (r: WorkQueueExperimentRun) => Math.max(0, ...r.deliveries.map((d) => d.ackedAt ?? 0)),
    /** The longest a ticket waited between its publish and the start of the handling that finished it. */
    longestWaitMs: (r: WorkQueueExperimentRun) => Math.max(0, ...r.deliveries.filter((d) => d.ackedAt !== null).map((d) => d.startedAt! - d.publishedAt)),
    remaining: (r: WorkQueueExperimentRun) => r.remaining
  },
  view: ({deliveries, depth, flow}: WorkQueueExperimentRun) => ({deliveries, depth, flow})
});

// --- Routing builder ------------------------------------------------------------------------

export interface RoutingParameters {
  seed: number | string;
  type: ExchangeType;
  /** One binding per line, in the format of the type (see BINDING_FORMAT). */
  bindings: string;
  routingKey: string;
  /** The message's headers as JSON text (a headers exchange routes on them). */
  headers: string;
  /** The bindings the builder switches to when the reader picks another exchange type. */
  defaultBindings: Record<ExchangeType, string>;
}

export interface RoutingRun extends RouteOutcome {
  parameters: RoutingParameters;
}

/** Parses the bindings and headers (a clear message for either), then routes one message. */
export async function runRouting(p: RoutingParameters): Promise<RoutingRun> {
  const bindings = parseBindings(p.type, p.bindings);
  const headers = parseHeaders(p.headers);
  return {...(await routeMessage({seed: p.seed, type: p.type, bindings, routingKey: p.routingKey, headers})), parameters: p};
}

export const routing = experiment({
  run: runRouting,
  metrics: {
    queuesBound: (r: RoutingRun) => new Set(parseBindings(r.parameters.type, r.parameters.bindings).map((b) => b.queue)).size,
    queuesReached: (r: RoutingRun) => r.routes.filter((q) => q.received).length,
    /** The broker refused a declaration (and closed the channel), as RabbitMQ does for a bad x-match. */
    refused: (r: RoutingRun) => r.refusal !== null
  },
  view: (r: RoutingRun) => ({routes: r.routes, refusal: refusal(r.refusal)})
});

// --- EventBridge: rules with patterns -----------------------------------------------------------

export type BusParameters = BusWorkloadOptions;

export const bus = experiment({
  run: (p: BusParameters): Promise<BusWorkloadRun> => runBusWorkload(p),
  metrics: {
    put: (r: BusWorkloadRun) => r.put,
    unmatched: (r: BusWorkloadRun) => r.unmatched,
    /** Events that matched at least one rule. */
    matchedEvents: (r: BusWorkloadRun) => r.rulesPerEvent.filter((n) => n >= 1).length,
    /** Events that matched two rules or more: each rule's target gets its own copy. */
    matchedByTwoOrMore: (r: BusWorkloadRun) => r.rulesPerEvent.filter((n) => n >= 2).length,
    deliveries: (r: BusWorkloadRun) => r.deliveries
  },
  view: ({put, matched, unmatched, flow}: BusWorkloadRun) => ({put, matched, unmatched, flow})
});

// --- Why didn't my rule match? ----------------------------------------------------------------

export interface PatternParameters {
  seed: number | string;
  /** The pattern and the event, as the reader types them (JSON text). */
  pattern: string;
  event: string;
}

export interface PatternRun {
  explanation: MatchExplanation | null;
  /** Why EventBridge would refuse the pattern or the event (PutRule's InvalidEventPatternException). */
  refusal: InvalidEventPatternError | InvalidEventError | null;
}

export function runPattern(p: PatternParameters): PatternRun {
  try {
    return {explanation: explainMatch(p.pattern, p.event), refusal: null};
  } catch (error) {
    if (error instanceof InvalidEventPatternError || error instanceof InvalidEventError) return {explanation: null, refusal: error};
    throw error;
  }
}

export const pattern = experiment({
  run: runPattern,
  metrics: {
    matched: (r: PatternRun) => r.explanation?.matched ?? false,
    fieldsFailed: (r: PatternRun) => r.explanation?.fields.filter((f) => !f.matched && !f.branch).length ?? 0,
    refused: (r: PatternRun) => r.refusal !== null
  },
  view: (r: PatternRun) => ({explanation: r.explanation && shownExplanation(r.explanation), refusal: refusal(r.refusal)})
});

// --- Side by side ---------------------------------------------------------------------------

const outcome = (r: SideBySideRun, broker: BrokerName) => r.brokers.find((b) => b.broker === broker)!;

export const sideBySide = experiment({
  run: (p: SideBySideOptions): Promise<SideBySideRun> => runSideBySide(p),
  metrics: {
    kafkaFirstRead: (r: SideBySideRun) => outcome(r, "Kafka").firstRead,
    kafkaHeld: (r: SideBySideRun) => outcome(r, "Kafka").held,
    kafkaLateRead: (r: SideBySideRun) => outcome(r, "Kafka").lateRead,
    rabbitmqFirstRead: (r: SideBySideRun) => outcome(r, "RabbitMQ").firstRead,
    rabbitmqHeld: (r: SideBySideRun) => outcome(r, "RabbitMQ").held,
    rabbitmqLateRead: (r: SideBySideRun) => outcome(r, "RabbitMQ").lateRead,
    eventbridgeFirstRead: (r: SideBySideRun) => outcome(r, "EventBridge").firstRead,
    eventbridgeHeld: (r: SideBySideRun) => outcome(r, "EventBridge").held,
    eventbridgeLateRead: (r: SideBySideRun) => outcome(r, "EventBridge").lateRead
  },
  view: ({brokers}: SideBySideRun) => ({brokers})
});

// --- Which broker for your workload? -----------------------------------------------------------

export type DecisionParameters = Workload & {seed: number | string};

// --- The same seed with one setting changed, aligned by compareRuns (compare.ts, loaded when first run) ---

export const prefetchComparison = experiment({
  run: (p: PrefetchComparisonParameters) => import("./compare.js").then((m) => m.runPrefetchComparison(p)),
  metrics: {
    ...comparisonMetrics((c: Comparison) => c),
    /** Tickets the broker delivered again in each run (the checker's duplicated messages). */
    redeliveredA: (c: Comparison) => c.verdicts.a.duplicated.length,
    redeliveredB: (c: Comparison) => c.verdicts.b.duplicated.length
  },
  /** The comparison as compare-view.ts draws it: both histories, the divergence, the verdicts. */
  view: (c: Comparison) => c
});

export const protocolComparison = experiment({
  run: (o: RebalanceOptions) => import("./compare.js").then((m) => m.runProtocolComparison(o)),
  metrics: {
    ...comparisonMetrics((c: Comparison) => c),
    /** The eager group first departs from the consumer protocol by revoking a member's partitions. */
    divergesAtRevocation: (c: Comparison) => c.divergence?.a?.type === "rebalance"
  },
  view: (c: Comparison) => c
});

export const decision = experiment({
  run: (p: DecisionParameters): Recommendation => recommendBroker(p),
  metrics: {
    kafkaScore: (r: Recommendation) => r.scores.Kafka,
    rabbitmqScore: (r: Recommendation) => r.scores.RabbitMQ,
    eventbridgeScore: (r: Recommendation) => r.scores.EventBridge,
    recommendsKafka: (r: Recommendation) => r.broker === "Kafka",
    recommendsRabbitMQ: (r: Recommendation) => r.broker === "RabbitMQ",
    recommendsEventBridge: (r: Recommendation) => r.broker === "EventBridge",
    shareGroupScore: (r: Recommendation) => r.scores["Kafka share group"],
    recommendsShareGroup: (r: Recommendation) => r.broker === "Kafka share group"
  },
  view: (r: Recommendation) => r
});

// --- One task workload, three ways: work queue, consumer group, share group (KIP-932) ----------------

export type TaskComparisonParameters = TaskComparisonOptions;

export interface TaskComparisonExperimentRun extends TaskComparisonRun {
  parameters: TaskComparisonParameters;
}

const deliveriesOf = (r: TaskComparisonRun, broker: TaskBroker) => r.outcomes.find((o) => o.broker === broker)!.deliveries;
/** The checker's verdicts on one broker's deliveries and handlings (the crashed worker's crash included). */
const verdicts = (r: TaskComparisonExperimentRun, broker: TaskBroker) =>
  checkTasks(deliveriesOf(r, broker), {keys: r.parameters.keys, workers: r.parameters.workers.map((w) => (w.name === r.parameters.crashingWorker ? {...w, crashAtMs: r.parameters.crashAtMs} : w))});

/** The same measures for each of the three, named `${prefix}${Measure}` (queueOrderViolations, shareLastDoneMs, ...). */
function taskMetrics(prefix: string, broker: TaskBroker) {
  const d = (r: TaskComparisonExperimentRun) => deliveriesOf(r, broker);
  return {
    [`${prefix}Finished`]: (r: TaskComparisonExperimentRun) => jobsFinished(d(r)),
    [`${prefix}Throughput`]: (r: TaskComparisonExperimentRun) => throughput(d(r)),
    [`${prefix}LastDoneMs`]: (r: TaskComparisonExperimentRun) => lastDoneMs(d(r)),
    [`${prefix}OrderViolations`]: (r: TaskComparisonExperimentRun) => orderViolations(d(r), r.parameters.keys),
    [`${prefix}Redeliveries`]: (r: TaskComparisonExperimentRun) => verdicts(r, broker).delivered.redeliveries,
    [`${prefix}HandledTwice`]: (r: TaskComparisonExperimentRun) => verdicts(r, broker).handled.duplicated.length,
    [`${prefix}WaitBehindSlowJobMs`]: (r: TaskComparisonExperimentRun) => longestWaitBehindSlowJob(d(r), r.partitionOf, r.parameters.slowJob)
  };
}

const shareCounts = (r: TaskComparisonRun) => r.outcomes.find((o) => o.broker === "share group")!.deliveryCounts;

export const taskComparison = experiment({
  run: async (p: TaskComparisonParameters): Promise<TaskComparisonExperimentRun> => ({...(await runTaskComparison(p)), parameters: p}),
  metrics: {
    ...taskMetrics("queue", "work queue"),
    ...taskMetrics("group", "consumer group"),
    ...taskMetrics("share", "share group"),
    jobs: (r: TaskComparisonExperimentRun) => r.parameters.jobs,
    recordLockDurationMs: (r: TaskComparisonExperimentRun) => r.parameters.recordLockDurationMs,
    slowJobMs: (r: TaskComparisonExperimentRun) => r.parameters.slowJobMs,
    /** The highest delivery count any share-group acquisition had. */
    shareMaxDeliveryCount: (r: TaskComparisonExperimentRun) => Math.max(0, ...shareCounts(r).map((c) => c.deliveryCount)),
    /** From the crash to the first redelivery (delivery count 2) of a job the crashed worker had started. */
    shareRedeliveryAfterCrashMs: (r: TaskComparisonExperimentRun) => {
      const held = new Set(deliveriesOf(r, "share group").filter((d) => d.worker === r.parameters.crashingWorker && d.ackedAt === null).map((d) => d.task));
      const again = shareCounts(r).find((c) => c.deliveryCount === 2 && held.has(c.task));
      return again ? again.time - r.parameters.crashAtMs : -1;
    },
    /** How many times the share group delivered the slow job. */
    shareSlowJobDeliveries: (r: TaskComparisonExperimentRun) => shareCounts(r).filter((c) => c.task === r.parameters.slowJob).length
  },
  view: (r: TaskComparisonExperimentRun) => taskComparisonView(r, r.parameters)
});

// --- A member joins: classic (eager, cooperative) and consumer protocol ---------------------------

export type RebalanceParameters = RebalanceOptions;

const protocolRun = (r: RebalanceRun, p: Protocol) => r.runs.find((x) => x.protocol === p)!;
/** One metric per protocol: eagerX, cooperativeX, consumerX. */
const perProtocol = (name: string, f: (run: RebalanceRun["runs"][number]) => number) =>
  Object.fromEntries(PROTOCOLS.map((p) => [`${p}${name}`, (r: RebalanceRun) => f(protocolRun(r, p))]));

export const rebalance = experiment({
  run: runRebalance,
  metrics: {
    members: (r: RebalanceRun) => r.options.members,
    partitions: (r: RebalanceRun) => r.options.partitions,
    /** Records that sat in a partition while it had no owner. */
    ...perProtocol("HeldUp", (x) => x.heldUp),
    /** Members there before the join that owned nothing for a while after it. */
    ...perProtocol("MembersStopped", (x) => x.membersStopped),
    /** Partitions that went without an owner after the join. */
    ...perProtocol("PartitionsStopped", (x) => x.partitionsStopped),
    ...perProtocol("PartitionsFlowing", (x) => x.partitionsFlowing),
    ...perProtocol("Moved", (x) => x.moved),
    /** The longest a partition went without an owner. */
    ...perProtocol("LongestGapMs", (x) => x.longestGapMs),
    /** The longest time no partition had an owner: the whole group stopped. */
    ...perProtocol("GroupStopMs", (x) => x.groupStopMs),
    ...perProtocol("ConvergeMs", (x) => x.convergeMs)
  },
  view: rebalanceView
});

// --- Kafka: retention and compaction take records away (retention.ts) ---------------------------

export const retention = experiment({
  run: runRetention,
  metrics: {
    records: (r: RetentionRun) => r.records,
    keys: (r: RetentionRun) => r.keys,
    deleted: (r: RetentionRun) => r.deleted,
    compacted: (r: RetentionRun) => r.compacted,
    fastProcessed: (r: RetentionRun) => r.processed.fast,
    slowProcessed: (r: RetentionRun) => r.processed.slow,
    /** Records the slow group never processed: deleted before it got there. */
    slowMissed: (r: RetentionRun) => r.records - r.processed.slow,
    slowResets: (r: RetentionRun) => r.resets.slow,
    latestKept: (r: RetentionRun) => r.latestKept
  },
  view: (r: RetentionRun) => ({log: logViewOf(r.trace, {topic: RETENTION_TOPIC}), showAt: r.showAt})
});

export const experiments = {kafkaLog, workQueue, prefetchComparison, routing, bus, pattern, sideBySide, decision, taskComparison, rebalance, protocolComparison, retention};
