// A share consumer (KIP-932), shaped like the Java client's KafkaShareConsumer: subscribe(),
// poll(timeout) returning acquired records, acknowledge(record, type), commitSync(), close().
// Unlike a consumer-group member it has no position and nothing to seek or commit: the broker's
// share-partition keeps each record's delivery state, and the consumer only settles what it got.
//
// Acknowledgement modes (share.acknowledgement.mode, Kafka 4.2 consumer configs):
// - "implicit" (default): acknowledge() is refused; the next poll(), commitSync() or close()
//   accepts every record the previous poll returned. A crash before then accepts nothing.
// - "explicit": every record of a poll must be acknowledged (ACCEPT, RELEASE or REJECT) before
//   the next poll(), which otherwise throws, as the Java client does.
// Acknowledgements travel on the next ShareFetch, or in a ShareAcknowledge for commitSync/close.

import type {Simulation} from "../sim/index.js";
import type {TopicPartition} from "./assignors.js";
import {KafkaConfigError, KafkaError, checkInteger, checkMs, checkOneOf} from "./errors.js";
import type {AcknowledgeError, AcknowledgeType, AcquiredRecord, ShareAcknowledgement, ShareGroupProtocol} from "./protocol.js";

export type {AcknowledgeError, AcknowledgeType, AcquiredRecord} from "./protocol.js";

export interface ShareConsumerOptions {
  /** group.id of the share group. */
  groupId: string;
  clientId?: string;
  /** share.acknowledgement.mode (default "implicit"). */
  acknowledgementMode?: "implicit" | "explicit";
  /** max.poll.records (default 500). */
  maxPollRecords?: number;
  /** fetch.max.wait.ms: how long the broker holds an empty ShareFetch (default 500). */
  fetchMaxWaitMs?: number;
}

/** Resolves after `ms` virtual ms, and lets the awaiting code run before the kernel's next task. */
export function sleep(sim: Simulation, ms: number): Promise<void> {
  return new Promise((resolve) => {
    sim.schedule(ms, async () => {
      resolve();
      for (let tick = 0; tick < 16; tick++) await null;
    });
  });
}

const key = (topic: string, partition: number) => `${topic}/${partition}`;

export class ShareConsumer {
  readonly cluster: ShareGroupProtocol;
  readonly groupId: string;
  readonly clientId: string;
  readonly options: Required<Omit<ShareConsumerOptions, "groupId" | "clientId">>;
  memberId: string | null = null;
  state: "idle" | "subscribed" | "crashed" | "closed" = "idle";
  /** Acknowledgements the broker refused (INVALID_RECORD_STATE: the lock had expired, say). */
  readonly acknowledgeErrors: AcknowledgeError[] = [];
  #topics: string[] = [];
  /** The last poll's records not yet acknowledged. */
  #delivered = new Map<string, AcquiredRecord>();
  #pending: ShareAcknowledgement[] = [];
  #rotate = 0;

  constructor(cluster: ShareGroupProtocol, options: ShareConsumerOptions) {
    const {groupId, acknowledgementMode = "implicit", maxPollRecords = 500, fetchMaxWaitMs = 500} = options ?? ({} as ShareConsumerOptions);
    if (typeof groupId !== "string" || groupId === "") throw new KafkaConfigError(`a share consumer needs a groupId (a non-empty string), got ${JSON.stringify(groupId)}`);
    checkOneOf("acknowledgementMode (share.acknowledgement.mode)", acknowledgementMode, ["implicit", "explicit"]);
    checkInteger("maxPollRecords (max.poll.records)", maxPollRecords, 1);
    checkMs("fetchMaxWaitMs (fetch.max.wait.ms)", fetchMaxWaitMs, 1);
    this.cluster = cluster;
    this.groupId = groupId;
    this.clientId = options.clientId ?? cluster.clientName("share-consumer");
    this.options = {acknowledgementMode, maxPollRecords, fetchMaxWaitMs};
  }

  /** Joins the share group for these topics (ShareGroupHeartbeat). */
  subscribe(topics: string | string[]): void {
    this.#alive("subscribe");
    const list = typeof topics === "string" ? [topics] : [...topics];
    if (list.length === 0) throw new KafkaConfigError("subscribe() needs at least one topic");
    this.#topics = list;
    this.memberId = this.cluster.shareGroupHeartbeat({groupId: this.groupId, memberId: this.memberId, clientId: this.clientId, topics: list}).memberId;
    this.state = "subscribed";
  }

  /**
   * Settles the previous poll's records (implicit mode), then fetches: acquired records, each with
   * its delivery count, as soon as there are any, or [] after `timeoutMs` virtual ms.
   */
  async poll(timeoutMs: number): Promise<AcquiredRecord[]> {
    checkMs("timeoutMs", timeoutMs);
    this.#alive("poll");
    if (this.state !== "subscribed") throw new KafkaError("ILLEGAL_STATE", "poll() before subscribe()");
    this.#settleDelivered();
    const sim = this.cluster.sim;
    const deadline = sim.now + timeoutMs;
    for (;;) {
      await sleep(sim, this.cluster.networkMs);
      if (this.state !== "subscribed") return [];
      const records = this.#fetch();
      await sleep(sim, this.cluster.networkMs);
      if (this.state !== "subscribed") return [];
      if (records.length > 0 || sim.now >= deadline) {
        for (const r of records) this.#delivered.set(`${key(r.topic, r.partition)}/${r.offset}`, r);
        return records;
      }
      // The broker holds an empty fetch up to fetch.max.wait.ms, answering early when records arrive.
      await this.#wait(Math.min(this.options.fetchMaxWaitMs, deadline - sim.now));
    }
  }

  /** Explicit mode: settles one record of the last poll; sent with the next poll or commitSync(). */
  acknowledge(record: AcquiredRecord, type: AcknowledgeType = "ACCEPT"): void {
    this.#alive("acknowledge");
    if (this.options.acknowledgementMode === "implicit") {
      throw new KafkaError("ILLEGAL_STATE", "acknowledge() needs share.acknowledgement.mode=explicit (acknowledgementMode: \"explicit\"); in implicit mode the next poll() accepts the records");
    }
    checkOneOf("acknowledge type", type, ["ACCEPT", "RELEASE", "REJECT"]);
    const id = `${key(record?.topic, record?.partition)}/${record?.offset}`;
    if (!this.#delivered.delete(id)) throw new KafkaError("ILLEGAL_STATE", `record ${id} is not an unacknowledged record of the last poll()`);
    this.#pending.push({topic: record.topic, partition: record.partition, offset: record.offset, type});
  }

  /** Sends the pending acknowledgements now (ShareAcknowledge) and returns those the broker refused. */
  async commitSync(): Promise<AcknowledgeError[]> {
    this.#alive("commitSync");
    this.#settleDelivered();
    return this.#sendAcknowledgements();
  }

  /** Settles what it can (as commitSync), then leaves: records it still holds are released at once. */
  async close(): Promise<void> {
    if (this.state === "crashed" || this.state === "closed") return;
    if (this.memberId !== null) {
      this.#settleDelivered();
      await this.#sendAcknowledgements();
      this.cluster.shareGroupHeartbeat({groupId: this.groupId, memberId: this.memberId, clientId: this.clientId, topics: this.#topics, leaving: true});
    }
    this.state = "closed";
  }

  /** Fault: the process dies. Nothing is acknowledged; its records stay locked until their locks expire. */
  crash(): void {
    if (this.state === "crashed" || this.state === "closed") return;
    const wasMember = this.memberId !== null && this.state === "subscribed";
    this.state = "crashed";
    if (!wasMember) return;
    this.cluster.sim.record("kafka.share-consumer.crash", {group: this.groupId, member: this.memberId!});
    this.cluster.stopShareHeartbeats(this.groupId, this.memberId!);
  }

  // Implicit mode: everything the last poll returned is accepted. Explicit mode: all must be settled.
  #settleDelivered(): void {
    if (this.options.acknowledgementMode === "explicit") {
      if (this.#delivered.size > 0) {
        throw new KafkaError("ILLEGAL_STATE", `explicit acknowledgement mode: acknowledge all ${this.#delivered.size} remaining record(s) of the last poll() first`);
      }
      return;
    }
    for (const r of this.#delivered.values()) this.#pending.push({topic: r.topic, partition: r.partition, offset: r.offset, type: "ACCEPT"});
    this.#delivered.clear();
  }

  async #sendAcknowledgements(): Promise<AcknowledgeError[]> {
    if (this.#pending.length === 0 || this.memberId === null) return [];
    const acks = this.#pending;
    this.#pending = [];
    await sleep(this.cluster.sim, this.cluster.networkMs);
    if (this.state === "crashed") return [];
    const errors = this.cluster.shareAcknowledge(this.groupId, this.memberId, acks);
    this.acknowledgeErrors.push(...errors);
    await sleep(this.cluster.sim, this.cluster.networkMs);
    return errors;
  }

  // One ShareFetch per assigned partition, starting from a rotating one so no partition starves;
  // each carries that partition's pending acknowledgements.
  #fetch(): AcquiredRecord[] {
    const {assignment} = this.cluster.shareGroupHeartbeat({groupId: this.groupId, memberId: this.memberId, clientId: this.clientId, topics: this.#topics});
    const records: AcquiredRecord[] = [];
    const acks = this.#pending;
    this.#pending = [];
    const n = assignment.length;
    const start = n === 0 ? 0 : this.#rotate++ % n;
    for (let i = 0; i < n; i++) {
      const {topic, partition}: TopicPartition = assignment[(start + i) % n];
      const response = this.cluster.shareFetch({
        groupId: this.groupId, memberId: this.memberId!, topic, partition, maxRecords: this.options.maxPollRecords - records.length,
        acknowledgements: acks.filter((a) => a.topic === topic && a.partition === partition)
      });
      this.acknowledgeErrors.push(...response.acknowledgeErrors);
      records.push(...response.records);
    }
    const unassigned = acks.filter((a) => !assignment.some((tp) => tp.topic === a.topic && tp.partition === a.partition));
    if (unassigned.length > 0) this.acknowledgeErrors.push(...this.cluster.shareAcknowledge(this.groupId, this.memberId!, unassigned));
    return records;
  }

  // Wakes on new records in an assigned partition, or after `ms` (lock expiries make records
  // Available without any new append, so an empty fetch is retried).
  #wait(ms: number): Promise<void> {
    const sim = this.cluster.sim;
    return new Promise((resolve) => {
      const stops: (() => void)[] = [];
      let done = false;
      const wake = async () => {
        if (done) return;
        done = true;
        sim.cancel(timer);
        for (const stop of stops) stop();
        resolve();
        for (let tick = 0; tick < 16; tick++) await null;
      };
      const timer = sim.schedule(ms, wake);
      for (const topic of this.#topics) {
        for (const {partition} of this.cluster.metadata(topic).partitions) stops.push(this.cluster.watch(topic, partition, () => void sim.schedule(0, wake)));
      }
    });
  }

  #alive(what: string): void {
    if (this.state === "crashed" || this.state === "closed") throw new KafkaError("ILLEGAL_STATE", `${what}() on a ${this.state} share consumer`);
  }
}
