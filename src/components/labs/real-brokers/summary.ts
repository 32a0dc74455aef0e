// What every broker experiment reports, the same whether it ran on the simulation or on a real
// broker: deliveries, duplicates, per-key order violations and lag.

export interface ExperimentSummary {
  broker: string;
  /** Messages handed to application code (a redelivered message counts again). */
  deliveries: number;
  /** Deliveries of a message whose effect had already happened. */
  duplicates: number;
  /** Deliveries flagged by the broker as redelivered (RabbitMQ) or read again from an uncommitted offset (Kafka). */
  redelivered: number;
  /** Deliveries whose per-key sequence number is not above the last one seen for that key. */
  orderViolations: number;
  /** Messages still waiting for the group or queue when the run ended. */
  lag: number;
}

/** Lets time pass until `done` holds: virtual time on the simulation, real time on a broker. */
export type WaitUntil = (done: () => boolean, what: string) => Promise<void>;

export type Progress = (done: number, total: number) => void;

/** Counts deliveries of {key, seq} messages as the summary defines them. */
export class DeliveryLog {
  deliveries = 0;
  duplicates = 0;
  redelivered = 0;
  orderViolations = 0;
  #seen = new Set<string>();
  #lastSeq = new Map<string, number>();

  record(key: string, seq: number, redelivered: boolean): void {
    this.deliveries++;
    if (redelivered) this.redelivered++;
    const id = `${key}#${seq}`;
    if (this.#seen.has(id)) this.duplicates++;
    this.#seen.add(id);
    if (seq <= (this.#lastSeq.get(key) ?? -1)) this.orderViolations++;
    this.#lastSeq.set(key, seq);
  }

  /** Distinct messages handled at least once. */
  get distinct(): number {
    return this.#seen.size;
  }

  summary(broker: string, lag: number): ExperimentSummary {
    return {broker, deliveries: this.deliveries, duplicates: this.duplicates, redelivered: this.redelivered, orderViolations: this.orderViolations, lag};
  }
}

/** The i-th message of a run: keys round-robin, sequence numbers per key. */
export function messageAt(i: number, keys: number): {key: string; seq: number} {
  return {key: `order-${i % keys}`, seq: Math.floor(i / keys)};
}
