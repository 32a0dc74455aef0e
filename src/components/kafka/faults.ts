// A scenario's faults as data: a list of {at, kind, ...} that a page can edit, chart as markers
// and schedule on the simulation in one call.

import type {TopicPartition} from "./assignors.js";
import type {Cluster} from "./cluster.js";
import type {Consumer} from "./consumer.js";
import {KafkaConfigError, checkMs} from "./errors.js";
import type {Producer} from "./producer.js";

export type Fault =
  /** The consumer dies now, or after processing `afterRecords` more records (before they are committed). */
  | {at: number; kind: "consumer.crash"; consumer: Consumer; afterRecords?: number}
  /** The consumer stops fetching (it stays in the group); resumes after `forMs` if given. */
  | {at: number; kind: "consumer.pause"; consumer: Consumer; partitions?: TopicPartition[]; forMs?: number}
  | {at: number; kind: "consumer.resume"; consumer: Consumer; partitions?: TopicPartition[]}
  | {at: number; kind: "producer.crash"; producer: Producer}
  /** The next `count` responses to the producer are lost (the writes happened). */
  | {at: number; kind: "producer.lose-acks"; producer: Producer; count: number}
  /** The broker stops; restarts after `forMs` if given. */
  | {at: number; kind: "broker.crash"; cluster: Cluster; broker: number; forMs?: number};

const FAULT_KINDS: readonly Fault["kind"][] = ["consumer.crash", "consumer.pause", "consumer.resume", "producer.crash", "producer.lose-acks", "broker.crash"];

/** Schedules every fault at its virtual time `at` (ms from the start of the run). All are checked first. */
export function scheduleFaults(sim: {now: number; schedule(delay: number, task: () => void): unknown}, faults: readonly Fault[]): void {
  for (const f of faults) {
    if (!FAULT_KINDS.includes(f.kind)) throw new KafkaConfigError(`fault kind must be one of ${FAULT_KINDS.join(", ")}, got ${JSON.stringify(f.kind)}`);
    checkMs(`at (of a ${f.kind} fault, not before now=${sim.now})`, f.at, sim.now);
  }
  for (const f of faults) sim.schedule(f.at - sim.now, () => apply(sim, f));
}

function apply(sim: {schedule(delay: number, task: () => void): unknown}, f: Fault): void {
  switch (f.kind) {
    case "consumer.crash":
      if (f.afterRecords) f.consumer.crashAfter(f.afterRecords);
      else f.consumer.crash();
      return;
    case "consumer.pause":
      f.consumer.pause(f.partitions);
      if (f.forMs !== undefined) sim.schedule(f.forMs, () => f.consumer.state === "running" && f.consumer.resume(f.partitions));
      return;
    case "consumer.resume":
      f.consumer.resume(f.partitions);
      return;
    case "producer.crash":
      f.producer.crash();
      return;
    case "producer.lose-acks":
      f.producer.loseAcks(f.count);
      return;
    case "broker.crash":
      f.cluster.crashBroker(f.broker);
      if (f.forMs !== undefined) sim.schedule(f.forMs, () => f.cluster.restartBroker(f.broker));
  }
}
