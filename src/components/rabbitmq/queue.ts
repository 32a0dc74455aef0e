// A classic queue: ready messages in order, consumers served in turn within their prefetch,
// message TTLs (expired at the head), x-max-length with its overflow modes, and dead-lettering
// through the broker. https://www.rabbitmq.com/docs/queues, /ttl, /maxlength, /dlx

import type {Simulation, Timer, TraceEventMap, TraceKind} from "../sim/index.js";
import {AmqpError} from "./errors.js";
import {amqpType} from "./routing.js";
import type {BrokerMessage, QueuedMessage} from "./message.js";

const OVERFLOW_MODES = ["drop-head", "reject-publish", "reject-publish-dlx"] as const;
type Overflow = (typeof OVERFLOW_MODES)[number];
export type DeadLetterReason = "rejected" | "expired" | "maxlen";

// What a queue asks of its broker and of its consumers, declared here so that the queue imports
// neither broker.ts nor channel.ts (Broker and channel.ts's Consumer implement them).
export interface QueueBroker {
  readonly sim: Simulation;
  record<K extends TraceKind>(kind: K, fields: TraceEventMap[K]): void;
  deadLetter(queue: Queue, message: BrokerMessage, reason: DeadLetterReason): void;
  deleteQueue(name: string): number;
}

export interface QueueConsumer {
  readonly tag: string;
  readonly exclusive: boolean;
  /** Whether its prefetch (and its channel's) leaves room for one more delivery. */
  readonly canTake: boolean;
  /** Hands it one message: its channel delivers it under a new delivery tag. */
  take(queue: Queue, item: QueuedMessage): void;
  /** The queue was deleted under it (a server-side basic.cancel). */
  cancelled(): void;
}

export interface QueueOptions {
  durable?: boolean;
  exclusive?: boolean;
  autoDelete?: boolean;
  /** x-arguments: x-message-ttl, x-dead-letter-exchange, x-dead-letter-routing-key, x-max-length, x-overflow ... */
  arguments?: Record<string, unknown>;
}

export class Queue {
  readonly consumers: QueueConsumer[] = []; // every consumer, in subscription order
  /** Consumers waiting for their turn (round-robin): the head gets the next message. */
  #active: QueueConsumer[] = [];
  #ready: QueuedMessage[] = [];
  #head = 0;
  #nextSeq = 0;
  #dispatchPending = false;
  #expiryTimer: Timer | null = null;
  #hadConsumer = false;
  unacked = 0;
  deleted = false;

  constructor(
    readonly broker: QueueBroker,
    readonly name: string,
    readonly durable: boolean,
    readonly autoDelete: boolean,
    /** The connection that owns an exclusive queue. */
    readonly owner: number | null,
    readonly args: Record<string, unknown>
  ) {}

  /** Messages ready for delivery (not counting unacked ones), as queue.declare-ok's messageCount. */
  get messageCount(): number {
    return this.#ready.length - this.#head;
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  /** The ready messages, head first (for tables and charts). */
  get messages(): readonly {message: BrokerMessage; redelivered: boolean; expiresAt: number}[] {
    return this.#ready.slice(this.#head);
  }

  get exclusive(): boolean {
    return this.owner !== null;
  }

  #arg<T>(name: string): T | undefined {
    return this.args[name] as T | undefined;
  }

  /** Enqueues a routed message; false when x-overflow refuses it (reject-publish / reject-publish-dlx). */
  enqueue(message: BrokerMessage): boolean {
    const sim = this.broker.sim;
    const maxLength = this.#arg<number>("x-max-length");
    const overflow = this.#arg<Overflow>("x-overflow") ?? "drop-head";
    // Only ready messages count towards x-max-length; unacked ones do not.
    if (maxLength !== undefined && overflow !== "drop-head" && this.messageCount >= maxLength) {
      if (overflow === "reject-publish-dlx") this.#deadLetter(message, "maxlen");
      else this.broker.record("rabbitmq.drop", {message: message.id, queue: this.name, reason: "maxlen"});
      return false;
    }
    const ttls = [this.#arg<number>("x-message-ttl"), message.properties.expiration === undefined ? undefined : Number(message.properties.expiration)];
    const ttl = Math.min(...ttls.filter((t): t is number => t !== undefined));
    // TTL 0: "expired upon reaching the queue unless it can be delivered to a consumer immediately".
    if (ttl === 0 && !(this.messageCount === 0 && this.#active.some((c) => c.canTake))) {
      this.#deadLetter(message, "expired");
      return true;
    }
    this.#ready.push({seq: this.#nextSeq++, message, redelivered: false, expiresAt: sim.now + ttl});
    this.broker.record("rabbitmq.enqueue", {message: message.id, queue: this.name, ready: this.messageCount});
    if (maxLength !== undefined && overflow === "drop-head") {
      while (this.messageCount > maxLength) this.#deadLetter(this.#shift().message, "maxlen");
    }
    this.#changed();
    return true;
  }

  /** Puts delivered messages back at their original positions, marked redelivered. */
  requeue(items: QueuedMessage[]): void {
    for (const item of items) {
      item.redelivered = true;
      let lo = this.#head, hi = this.#ready.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.#ready[mid].seq < item.seq) lo = mid + 1;
        else hi = mid;
      }
      this.#ready.splice(lo, 0, item);
      this.broker.record("rabbitmq.requeue", {message: item.message.id, queue: this.name, ready: this.messageCount});
    }
    this.#changed();
  }

  /** Dead-letters (or drops) a message that a consumer rejected without requeue. */
  reject(item: QueuedMessage): void {
    this.#deadLetter(item.message, "rejected");
  }

  addConsumer(consumer: QueueConsumer): void {
    this.consumers.push(consumer);
    this.#active.push(consumer);
    this.#hadConsumer = true;
    this.#changed();
  }

  removeConsumer(consumer: QueueConsumer): void {
    remove(this.consumers, consumer);
    remove(this.#active, consumer);
    if (this.autoDelete && this.#hadConsumer && this.consumers.length === 0) this.broker.deleteQueue(this.name);
  }

  /** A consumer that was passed over for lack of credit gets back in line (at the end). */
  unblock(consumer: QueueConsumer): void {
    if (!this.#active.includes(consumer) && this.consumers.includes(consumer) && consumer.canTake) {
      this.#active.push(consumer);
      this.#changed();
    }
  }

  /** basic.get: the head message, or null when the queue has none ready. */
  get(): QueuedMessage | null {
    this.#expireHead(false);
    if (this.messageCount === 0) return null;
    const item = this.#shift();
    this.#changed();
    return item;
  }

  purge(): number {
    const n = this.messageCount;
    this.#ready = [];
    this.#head = 0;
    this.#changed();
    return n;
  }

  /** Called by the broker when the queue is deleted: consumers hear of it, messages are discarded. */
  close(): void {
    this.deleted = true;
    if (this.#expiryTimer) this.broker.sim.cancel(this.#expiryTimer);
    for (const consumer of [...this.consumers]) {
      consumer.cancelled();
    }
    this.consumers.length = 0;
    this.#active.length = 0;
  }

  #shift(): QueuedMessage {
    const item = this.#ready[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  #changed(): void {
    if (this.deleted) return;
    if (!this.#dispatchPending && this.messageCount > 0 && this.#active.length > 0) {
      this.#dispatchPending = true;
      this.broker.sim.schedule(0, () => this.#dispatch());
    }
    this.#scheduleExpiry();
  }

  #dispatch(): void {
    this.#dispatchPending = false;
    if (this.deleted) return;
    // Messages whose TTL ran out before now are gone; one due exactly now may still reach a
    // consumer that can take it at once (as x-message-ttl=0 allows).
    this.#expireHead(true);
    while (this.messageCount > 0 && this.#active.length > 0) {
      const consumer = this.#active.shift()!;
      if (!consumer.canTake) continue; // blocked until an ack frees credit: see unblock()
      const item = this.#shift();
      this.#active.push(consumer);
      consumer.take(this, item);
      if (this.deleted) return;
      this.#expireHead(true);
    }
    this.#scheduleExpiry();
  }

  /** Classic queues expire messages only at the head (https://www.rabbitmq.com/docs/ttl). */
  #expireHead(strictlyPast: boolean): void {
    const now = this.broker.sim.now;
    while (this.messageCount > 0) {
      const head = this.#ready[this.#head];
      if (strictlyPast ? head.expiresAt >= now : head.expiresAt > now) break;
      this.#shift();
      this.#deadLetter(head.message, "expired");
    }
  }

  #scheduleExpiry(): void {
    if (this.deleted) return;
    const head = this.messageCount > 0 ? this.#ready[this.#head] : undefined;
    const due = head && Number.isFinite(head.expiresAt) ? head.expiresAt : null;
    if (this.#expiryTimer && this.#expiryTimer.time === due) return;
    if (this.#expiryTimer) this.broker.sim.cancel(this.#expiryTimer);
    this.#expiryTimer = null;
    if (due === null) return;
    const sim = this.broker.sim;
    this.#expiryTimer = sim.schedule(Math.max(0, due - sim.now), () => {
      this.#expiryTimer = null;
      this.#dispatch(); // a delivery due at this instant comes before expiry
      this.#expireHead(false);
      this.#changed();
    }, {background: true});
  }

  #deadLetter(message: BrokerMessage, reason: DeadLetterReason): void {
    this.broker.deadLetter(this, message, reason);
  }
}

/** Arguments compared when a queue is declared again, in the order RabbitMQ checks them. */
export const EQUIVALENT_QUEUE_ARGS = [
  "x-expires", "x-message-ttl", "x-dead-letter-exchange", "x-dead-letter-routing-key", "x-max-length",
  "x-max-length-bytes", "x-max-priority", "x-overflow", "x-queue-mode", "x-queue-type"
];

export function validateQueueArguments(name: string, args: Record<string, unknown>): void {
  const invalid = (arg: string, why: string) =>
    new AmqpError(406, `invalid arg '${arg}' for queue '${name}' in vhost '/': ${why}`, "QueueDeclare");
  for (const arg of ["x-message-ttl", "x-max-length", "x-expires"]) {
    const value = args[arg];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value)) throw invalid(arg, `{unacceptable_type,${amqpType(value)}}`);
    if (value < 0) throw invalid(arg, `{value_negative,${value}}`);
  }
  const overflow = args["x-overflow"];
  if (overflow !== undefined && !(OVERFLOW_MODES as readonly unknown[]).includes(overflow)) throw invalid("x-overflow", "invalid_overflow");
  const dlx = args["x-dead-letter-exchange"];
  if (dlx !== undefined && typeof dlx !== "string") throw invalid("x-dead-letter-exchange", `{unacceptable_type,${amqpType(dlx)}}`);
}


function remove<T>(items: T[], item: T): void {
  const i = items.indexOf(item);
  if (i >= 0) items.splice(i, 1);
}

