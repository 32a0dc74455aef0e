// A Kafka simulation's trace as a history: what the labs hand to the checker, so a lab's counts of
// duplicated, reordered, lost and uncommitted reads are the checker's verdict, as they are for the
// workloads of `npm run experiment` (which record the same operations through kafkajs's API).
//
// A record is one message per send: a producer retry's second copy (a new offset, the same send
// index) is the same message appended again, which the checker names as a producer retry.
import type {TraceEvent, TraceEventOf} from "../sim/index.js";
import {messageId, type History, type Operation} from "./history.js";

type Appended = TraceEventOf<"kafka.append">;
type Consumed = TraceEventOf<"kafka.consume">;

/** A record's key and its place in that key's order. */
export interface Identity {
  key: string;
  seq: number;
}

export interface KafkaHistoryOptions {
  /** Whose deliveries the history holds (default: every consumer's). One reader per history: two groups' reads of a record are not duplicates. */
  reader?: (e: Consumed) => boolean;
  /**
   * A record's key and place in its key's order (default: its key, in its producer's send order;
   * a keyless record is a key of its own, since Kafka keeps no order for it).
   */
  identify?: (e: Appended) => Identity;
  /** A consumer's name in the history (default: its member id). */
  name?: (member: string) => string;
}

const defaultIdentity = (e: Appended): Identity => (e.key === null || e.key === undefined ? {key: `(no key) ${e.producer}/${e.sendIndex}`, seq: 0} : {key: String(e.key), seq: e.sendIndex});

const at = (topic: string, partition: number, offset: number) => `${topic}\u0000${partition}\u0000${offset}`;

/**
 * The history of a Kafka run: appends (each copy a retry wrote), produce acknowledgements (a
 * transactional record's naming its transaction), deliveries with their partition and offset,
 * member commits, consumer and producer crashes, revocations and leaves (the group hands the
 * member's partitions out again) and transaction ends. One pass in trace order.
 */
export function kafkaHistory(events: readonly TraceEvent[], {reader = () => true, identify = defaultIdentity, name = (m) => m}: KafkaHistoryOptions = {}): History {
  const history: Operation[] = [];
  const written = new Map<string, {message: string; identity: Identity; producer: string; transaction?: string}>();
  const acknowledged = new Set<string>();
  const openTransaction = new Map<number, string>();
  const transactionsOf = new Map<string, number>();
  const touched = new Set<string>();
  const crashed = new Set<string>();
  // An idempotent producer's retry answered from the broker's memory: a duplicate's answer may
  // carry no offset (DUPLICATE_SEQUENCE_NUMBER, -1), so its records are found by sequence.
  const bySequence = new Map<string, string>();
  const sequenceAt = (topic: string, partition: number, producerId: number, sequence: number) => `${at(topic, partition, sequence)}\u0000${producerId}`;
  let duplicate: {producerId: number; sequence: number} | null = null;
  const acknowledge = (time: number, w: {message: string; identity: Identity; producer: string; transaction?: string} | undefined) => {
    if (!w || acknowledged.has(w.message)) return;
    acknowledged.add(w.message);
    history.push({type: "produce", phase: "ok", time, producer: w.producer, message: w.message, ...w.identity, ...(w.transaction === undefined ? {} : {transaction: w.transaction})});
  };
  for (const e of events) {
    const time = e.time;
    switch (e.kind) {
      case "kafka.txn.begin": {
        const id = e.transactionalId ?? `producer ${e.producerId}`;
        const n = (transactionsOf.get(id) ?? 0) + 1;
        transactionsOf.set(id, n);
        openTransaction.set(e.producerId, `${id}#${n}`);
        break;
      }
      case "kafka.append": {
        const identity = identify(e);
        const message = messageId(identity.key, identity.seq);
        const transaction = e.transactional ? openTransaction.get(e.producerId) : undefined;
        if (transaction !== undefined) touched.add(transaction);
        written.set(at(e.topic, e.partition, e.offset), {message, identity, producer: e.producer, transaction});
        if (e.sequence >= 0) bySequence.set(sequenceAt(e.topic, e.partition, e.producerId, e.sequence), at(e.topic, e.partition, e.offset));
        history.push({type: "append", time, producer: e.producer, message, ...identity, partition: e.partition, offset: e.offset, attempt: e.attempt - 1}); // the trace counts sends from 1, a history retries from 0
        break;
      }
      case "kafka.produce.duplicate":
        duplicate = e.baseOffset < 0 ? {producerId: e.producerId, sequence: e.sequence} : null;
        break;
      case "kafka.ack":
        for (let i = 0; i < e.records; i++) {
          if (e.baseOffset >= 0) acknowledge(time, written.get(at(e.topic, e.partition, e.baseOffset + i)));
          else if (e.duplicate && duplicate) acknowledge(time, written.get(bySequence.get(sequenceAt(e.topic, e.partition, duplicate.producerId, duplicate.sequence + i)) ?? ""));
        }
        duplicate = null;
        break;
      case "kafka.txn.commit":
      case "kafka.txn.abort": {
        const transaction = openTransaction.get(e.producerId);
        openTransaction.delete(e.producerId);
        if (transaction !== undefined && touched.has(transaction)) history.push({type: "transaction", time, transaction, outcome: e.kind === "kafka.txn.commit" ? "commit" : "abort"});
        break;
      }
      case "kafka.consume": {
        const w = written.get(at(e.topic, e.partition, e.offset));
        if (!w || !reader(e)) break;
        history.push({type: "deliver", time, consumer: name(e.member), message: w.message, ...w.identity, redelivered: false, partition: e.partition, offset: e.offset});
        break;
      }
      case "kafka.commit":
        if (e.member !== undefined) history.push({type: "commit", time, consumer: name(e.member), partition: e.partition, offset: e.offset});
        break;
      case "kafka.consumer.crash":
        crashed.add(e.member);
        history.push({type: "crash", time, process: name(e.member)});
        break;
      case "kafka.producer.crash":
        history.push({type: "crash", time, process: e.producer});
        break;
      case "kafka.consumer.revoke":
        if (e.partitions.length > 0) history.push({type: "rebalance", time, consumer: name(e.member)});
        break;
      case "kafka.group.leave": // a member that leaves has its partitions handed out again; a crashed one's drop is its crash's doing
        if (!crashed.has(e.member)) history.push({type: "rebalance", time, consumer: name(e.member)});
        break;
    }
  }
  return history;
}
