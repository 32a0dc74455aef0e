// 11.6's experiments: each "Prove it" simulation of the quiz, run from its seed, with the numbers
// its claims quote as metrics (the `facts` of its result). Experiments are named by proof id; a
// question's claim has the question's id. Defaults and claims: data/scenarios/check-your-understanding.json.
import {experiment, type Experiment} from "../../claims/claim.js";
import {PROOFS, type Proof, type ProofResult} from "./proofs.js";

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
