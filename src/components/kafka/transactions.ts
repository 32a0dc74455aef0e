// The transaction coordinator (KIP-98). It maps a transactional.id to a producer id and epoch;
// initTransactions bumps the epoch, which fences any older producer with the same id and aborts
// its open transaction. Ending a transaction writes a COMMIT or ABORT marker (a control record
// that takes an offset) into every partition the transaction touched, and on commit applies the
// consumer offsets added with sendOffsetsToTransaction.

import type {Simulation} from "../sim/index.js";
import {KafkaError} from "./errors.js";
import type {GroupCoordinator} from "./group.js";
import type {Partition} from "./partition.js";
import type {OffsetToCommit} from "./protocol.js";

type TransactionState = "Empty" | "Ongoing" | "CompleteCommit" | "CompleteAbort";

/** What the coordinator needs of the broker it runs on. */
interface TransactionHost {
  readonly sim: Simulation;
  readonly groups: GroupCoordinator;
  /** Producer ids are unique across the cluster. */
  allocateProducerId(): number;
  reserve(records: number): void;
  /** After a marker is written: followers fetch it. */
  replicateSoon(partition: Partition): void;
}

interface TransactionEntry {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  state: TransactionState;
  partitions: Set<Partition>;
  offsets: Map<string, OffsetToCommit[]>;
  timeout: {id: number; time: number} | null;
}

export class TransactionCoordinator {
  readonly #host: TransactionHost;
  readonly #entries = new Map<string, TransactionEntry>();

  constructor(host: TransactionHost) {
    this.#host = host;
  }

  state(transactionalId: string): TransactionState | undefined {
    return this.#entries.get(transactionalId)?.state;
  }

  /** InitProducerId: a new epoch for the transactional.id; an open transaction of an older epoch is aborted. */
  initProducerId(transactionalId: string): {producerId: number; producerEpoch: number} {
    let entry = this.#entries.get(transactionalId);
    if (!entry) {
      entry = {transactionalId, producerId: this.#host.allocateProducerId(), producerEpoch: -1, state: "Empty", partitions: new Set(), offsets: new Map(), timeout: null};
      this.#entries.set(transactionalId, entry);
    }
    if (entry.state === "Ongoing") this.#end(entry, false, entry.producerEpoch + 1, "fenced");
    entry.producerEpoch++;
    entry.state = "Empty";
    this.#host.sim.record("kafka.txn.init", {transactionalId, producerId: entry.producerId, producerEpoch: entry.producerEpoch});
    return {producerId: entry.producerId, producerEpoch: entry.producerEpoch};
  }

  /** Throws PRODUCER_FENCED unless `epoch` is the transactional.id's current one. */
  check(transactionalId: string, producerEpoch: number): TransactionEntry {
    const entry = this.#entries.get(transactionalId);
    if (!entry) throw new KafkaError("INVALID_TXN_STATE", `transactional.id ${JSON.stringify(transactionalId)} is unknown: call initTransactions() first`);
    if (producerEpoch < entry.producerEpoch) {
      this.#host.sim.record("kafka.producer.fenced", {transactionalId, producerId: entry.producerId, producerEpoch, currentEpoch: entry.producerEpoch});
      throw new KafkaError(
        "PRODUCER_FENCED",
        `producer with transactional.id ${JSON.stringify(transactionalId)} and epoch ${producerEpoch} is fenced: a newer producer has epoch ${entry.producerEpoch}`
      );
    }
    return entry;
  }

  /** AddPartitionsToTxn; the first one starts the transaction timeout (transaction.timeout.ms). */
  addPartition(transactionalId: string, producerEpoch: number, partition: Partition, timeoutMs: number): void {
    const entry = this.check(transactionalId, producerEpoch);
    this.#begin(entry, timeoutMs);
    entry.partitions.add(partition);
  }

  /** AddOffsetsToTxn + TxnOffsetCommit: offsets that become the group's committed offsets only if the transaction commits. */
  addOffsets(transactionalId: string, producerEpoch: number, groupId: string, offsets: OffsetToCommit[], timeoutMs: number): void {
    const entry = this.check(transactionalId, producerEpoch);
    this.#begin(entry, timeoutMs);
    entry.offsets.set(groupId, [...(entry.offsets.get(groupId) ?? []), ...offsets]);
  }

  /** EndTxn: markers in every touched partition, then the group offsets (on commit). */
  end(transactionalId: string, producerEpoch: number, commit: boolean): void {
    const entry = this.check(transactionalId, producerEpoch);
    if (entry.state !== "Ongoing") {
      entry.state = commit ? "CompleteCommit" : "CompleteAbort";
      return;
    }
    this.#end(entry, commit, producerEpoch, commit ? "commit" : "abort");
  }

  #begin(entry: TransactionEntry, timeoutMs: number): void {
    if (entry.state === "Ongoing") return;
    entry.state = "Ongoing";
    const epoch = entry.producerEpoch;
    // Kafka's coordinator aborts a transaction left open longer than transaction.timeout.ms
    // (a crashed producer), which unblocks read_committed consumers stuck at the last stable offset.
    entry.timeout = this.#host.sim.schedule(timeoutMs, () => {
      entry.timeout = null;
      if (entry.state === "Ongoing" && entry.producerEpoch === epoch) {
        entry.producerEpoch++;
        this.#end(entry, false, entry.producerEpoch, "timeout");
      }
    });
  }

  #end(entry: TransactionEntry, commit: boolean, markerEpoch: number, reason: string): void {
    const host = this.#host;
    host.reserve(entry.partitions.size);
    if (entry.timeout) host.sim.cancel(entry.timeout);
    entry.timeout = null;
    const markers = [];
    for (const p of entry.partitions) {
      const offset = p.writeMarker(entry.producerId, markerEpoch, commit, host.sim.now);
      markers.push({topic: p.topic, partition: p.partition, offset});
      host.replicateSoon(p);
    }
    if (commit) for (const [groupId, offsets] of entry.offsets) host.groups.commitOffsets(groupId, offsets, {transactionalId: entry.transactionalId});
    host.sim.record(commit ? "kafka.txn.commit" : "kafka.txn.abort", {
      transactionalId: entry.transactionalId, producerId: entry.producerId, producerEpoch: markerEpoch, reason, markers,
      offsets: [...entry.offsets].flatMap(([group, list]) => list.map((o) => ({group, ...o})))
    });
    entry.partitions.clear();
    entry.offsets.clear();
    entry.state = commit ? "CompleteCommit" : "CompleteAbort";
  }
}
