// 11.6's proofs and experiments: each "Prove it" simulation of the quiz, run from its seed, with the
// numbers its claims quote as metrics (the `facts` of its result). Experiments are named by proof id;
// a question's claim has the question's id. Defaults and claims: data/scenarios/check-your-understanding.json.
import {experiment, type Experiment} from "../../claims/claim.js";
import type {Proof, ProofResult} from "./proofs.js";

type Runs = typeof import("./proofs.js");
type RunName = {[K in keyof Runs]: Runs[K] extends Proof["run"] ? K : never}[keyof Runs];

/**
 * A proof's run, loaded on the reader's first "Prove it": the runs bring the broker models and
 * arquero (its browser build alone is 236 KB), which the page needs only once a proof runs
 * (issue 15 §2: 600 KB of script before the reader interacts).
 */
const later = (name: RunName): Proof["run"] => (options) => import("./proofs.js").then((runs) => runs[name](options));

export const PROOFS: readonly Proof[] = [
  {id: "new-consumer-group", title: "A fraud-detection group joins six months later", model: "Kafka producer, broker and consumer-group model", run: later("proveNewConsumerGroup")},
  {id: "work-queue", title: "Twelve tickets, three agents, two brokers", model: "RabbitMQ broker model (amqplib client); Kafka assignors and partitioner", run: later("proveWorkQueue")},
  {id: "rabbitmq-redelivery", title: "A worker crashes before basic.ack", model: "RabbitMQ broker model (amqplib client)", run: later("proveRabbitRedelivery")},
  {id: "forward-read", title: "Old consumers read deliveryType records", model: "Avro schema registry, compatibility checker and wire format", run: later("proveForwardRead")},
  {id: "compatibility-table", title: "Seven schema changes at three levels", model: "Avro compatibility checker", run: later("proveCompatibilityTable")},
  {id: "duplicate-delivery", title: "A consumer crashes between processing and commit", model: "Kafka producer, consumer and group model", run: later("proveDuplicateDelivery")},
  {id: "sticky-partitioner", title: "Eighteen keyless records, three partitions", model: "Kafka producer (sticky partitioner) and broker model", run: later("proveStickyPartitioner")},
  {id: "read-committed", title: "Aborted, committed and open transactions", model: "Kafka transactional producer, transaction coordinator and consumer model", run: later("proveReadCommitted")},
  {id: "idempotent-producer", title: "A lost acknowledgement and a retry", model: "Kafka producer and broker model (producer id and sequence checks)", run: later("proveIdempotentProducer")},
  {id: "eventbridge-numeric", title: "A numeric rule and an amount sent as a string", model: "EventBridge bus and pattern matcher", run: later("proveEventBridgeNumeric")},
  {id: "partition-growth", title: "Growing a topic from 3 to 4 partitions", model: "Kafka partitioner, producer and consumer model", run: later("provePartitionGrowth")},
  {id: "share-group-lock", title: "A share-group member crashes holding two jobs", model: "Kafka share group model (KIP-932: share-partition, share consumer)", run: later("proveShareGroupLock")}
];

export const PROOF_IDS: readonly string[] = PROOFS.map((p) => p.id);

export function proofById(id: string): Proof | undefined {
  return PROOFS.find((p) => p.id === id);
}

/** The metrics each proof's result reports in `facts`, besides `holds`. */
const FACTS: Record<string, string[]> = {
  "new-consumer-group": ["published", "fraudStartDay", "fraudRead", "fraudReadFirst"],
  "work-queue": ["tickets", "rabbitIdleMinutes", "kafkaIdleMinutes", "rabbitDoneMinutes", "kafkaDoneMinutes", "rabbitOnce", "kafkaOnce"],
  "rabbitmq-redelivery": ["deliveries", "redelivered", "naiveEmails", "idempotentEmails", "left"],
  "forward-read": ["withDefaultBackward", "withDefaultForward", "withDefaultFull", "withoutDefaultBackward", "withoutDefaultForward", "oldReaderSkips", "newReaderDefault"],
  "compatibility-table": ["changes", "addWithDefaultLevels", "addWithoutDefaultBackward", "removeWithoutDefaultBackward", "removeWithoutDefaultForward", "removeWithoutDefaultFull", "removeWithDefaultForward", "renameBackward", "aliasBackward"],
  "duplicate-delivery": ["events", "committedAtCrash", "duplicated", "insertedShipments", "upsertedShipments"],
  "sticky-partitioner": ["records", "runs", "batchSize"],
  "read-committed": ["highWatermark", "lastStableOffset", "dataRecords", "uncommittedRead", "committedRead"],
  "idempotent-producer": ["plainCopies", "idempotentCopies"],
  "eventbridge-numeric": ["events", "delivered", "stringMatched"],
  "partition-growth": ["keys", "moved", "outOfOrder", "read"],
  "share-group-lock": ["records", "lockMs", "crashedHeld", "redeliveredAfterMs", "redeliveredWithCount2", "accepted"]
};

const fact = (name: string) => (result: ProofResult) => {
  if (!(name in result.facts)) throw new Error(`the proof's result has no fact "${name}"`);
  return result.facts[name];
};

export function proofExperiment(proof: Proof): Experiment<ProofResult> {
  return experiment({
    run: ({seed}: {seed: number}) => proof.run({seed}),
    metrics: {holds: (r: ProofResult) => r.holds, ...Object.fromEntries((FACTS[proof.id] ?? []).map((name) => [name, fact(name)]))}
  });
}

export const experiments: Record<string, Experiment<ProofResult>> = Object.fromEntries(PROOFS.map((proof) => [proof.id, proofExperiment(proof)]));
