// A RabbitMQ broker (one vhost, classic queues) on the simulation clock. Exchanges route each
// published message to queues; a queue hands its messages to consumers in turn, within their
// prefetch, and keeps each delivered message until it is acked. Nacked or rejected messages go
// back (redelivered) or to the dead-letter exchange. Deliveries are simulation tasks, so after
// `await sim.runUntilIdle()` every delivery that was due has happened; message TTLs are
// background timers, so only `sim.advance(ms)` lets them expire.
// Reference: https://www.rabbitmq.com/docs/ (queues, consumers, confirms, ttl, maxlength, dlx), 3.10.

import type {Simulation, Timer, TraceEventMap, TraceKind} from "../sim/index.js";
import {AmqpError, IllegalOperationError} from "./errors.js";
import {amqpType, headersMatch, TopicRouter, xMatchOf} from "./routing.js";

export const EXCHANGE_TYPES = ["direct", "topic", "fanout", "headers"] as const;
export type ExchangeType = (typeof EXCHANGE_TYPES)[number];
export const OVERFLOW_MODES = ["drop-head", "reject-publish", "reject-publish-dlx"] as const;
export type Overflow = (typeof OVERFLOW_MODES)[number];
export type DeadLetterReason = "rejected" | "expired" | "maxlen";

/** The basic properties of a message, as amqplib names them. */
export interface MessageProperties {
  contentType?: string;
  contentEncoding?: string;
  headers?: Record<string, unknown>;
  deliveryMode?: number;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  /** Per-message TTL in ms, a decimal string (AMQP puts it in a shortstr). */
  expiration?: string;
  messageId?: string;
  timestamp?: number;
  type?: string;
  userId?: string;
  appId?: string;
}

/** Message bytes: a Uint8Array whose toString() decodes UTF-8 (a Node Buffer in Node). */
export type Content = Uint8Array & {toString(): string};

class Utf8Bytes extends Uint8Array {
  override toString(): string {
    return new TextDecoder().decode(this);
  }
}

// Node's Buffer.from copies into a pooled slab: ~1 µs where a fresh Uint8Array costs ~4 µs.
const NodeBuffer = (globalThis as {Buffer?: {from(data: Uint8Array | string): Content}}).Buffer;

/** A copy of the bytes (a string is encoded as UTF-8), so a publisher reusing its buffer changes nothing. */
export function toContent(data: Uint8Array | string): Content {
  if (NodeBuffer) return NodeBuffer.from(data);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const content = new Utf8Bytes(bytes.length);
  content.set(bytes);
  return content;
}

/** A message as the broker holds it; the broker-wide `id` names it in the trace. */
export interface BrokerMessage {
  readonly id: number;
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Content;
  readonly properties: MessageProperties;
}

/** A message as a consumer or basic.get receives it (amqplib's Message). */
export interface Delivery {
  content: Content;
  fields: {
    deliveryTag: number;
    redelivered: boolean;
    exchange: string;
    routingKey: string;
    consumerTag?: string;
    messageCount?: number;
  };
  properties: MessageProperties;
}

interface QueuedMessage {
  /** Position in the queue: a requeued message goes back to it. */
  readonly seq: number;
  readonly message: BrokerMessage;
  redelivered: boolean;
  readonly expiresAt: number;
}

export interface Binding {
  readonly exchange: string;
  readonly queue: string;
  readonly bindingKey: string;
  readonly arguments: Record<string, unknown>;
}

export interface ExchangeOptions {
  durable?: boolean;
  autoDelete?: boolean;
  internal?: boolean;
  arguments?: Record<string, unknown>;
}

export interface QueueOptions {
  durable?: boolean;
  exclusive?: boolean;
  autoDelete?: boolean;
  /** x-arguments: x-message-ttl, x-dead-letter-exchange, x-dead-letter-routing-key, x-max-length, x-overflow ... */
  arguments?: Record<string, unknown>;
}

export class Exchange {
  readonly bindings: Binding[] = [];
  #topic = new TopicRouter<string>();
  constructor(
    readonly name: string,
    readonly type: ExchangeType,
    readonly durable: boolean,
    readonly autoDelete: boolean,
    readonly internal: boolean,
    readonly args: Record<string, unknown>
  ) {}

  get alternateExchange(): string | undefined {
    const ae = this.args["alternate-exchange"];
    return typeof ae === "string" ? ae : undefined;
  }

  addBinding(binding: Binding): void {
    if (this.bindings.some((b) => sameBinding(b, binding))) return;
    this.bindings.push(binding);
    if (this.type === "topic") this.#topic.add(binding.bindingKey, binding.queue);
  }

  removeBinding(binding: Binding): boolean {
    const i = this.bindings.findIndex((b) => sameBinding(b, binding));
    if (i < 0) return false;
    const [removed] = this.bindings.splice(i, 1);
    if (this.type === "topic") this.#topic.remove(removed.bindingKey, removed.queue);
    return true;
  }

  /** The names of the queues this exchange's own bindings select (no alternate exchange). */
  route(routingKey: string, headers: Record<string, unknown> | undefined, into: Set<string>): Set<string> {
    if (this.name === "") return into.add(routingKey); // the default exchange: one implicit binding per queue
    switch (this.type) {
      case "topic":
        for (const queue of this.#topic.match(routingKey)) into.add(queue);
        return into;
      case "direct":
        for (const b of this.bindings) if (b.bindingKey === routingKey) into.add(b.queue);
        return into;
      case "fanout":
        for (const b of this.bindings) into.add(b.queue);
        return into;
      case "headers":
        for (const b of this.bindings) if (headersMatch(b.arguments, headers)) into.add(b.queue);
        return into;
    }
  }
}

const sameBinding = (a: Binding, b: Binding) =>
  a.queue === b.queue && a.bindingKey === b.bindingKey && JSON.stringify(a.arguments) === JSON.stringify(b.arguments);

export class Consumer {
  unacked = 0;
  constructor(
    readonly tag: string,
    readonly queue: Queue,
    readonly channel: BrokerChannel,
    readonly noAck: boolean,
    /** Most unacked deliveries (basic.qos prefetch-count at consume time; 0 = no limit). */
    readonly prefetch: number,
    readonly exclusive: boolean,
    readonly onMessage: (delivery: Delivery | null) => void
  ) {}

  get canTake(): boolean {
    const ch = this.channel;
    if (ch.closed) return false;
    if (this.noAck) return true;
    return (this.prefetch === 0 || this.unacked < this.prefetch) && (ch.globalPrefetch === 0 || ch.unacked.size < ch.globalPrefetch);
  }
}

export class Queue {
  readonly consumers: Consumer[] = []; // every consumer, in subscription order
  /** Consumers waiting for their turn (round-robin): the head gets the next message. */
  #active: Consumer[] = [];
  #ready: QueuedMessage[] = [];
  #head = 0;
  #nextSeq = 0;
  #dispatchPending = false;
  #expiryTimer: Timer | null = null;
  #hadConsumer = false;
  unacked = 0;
  deleted = false;

  constructor(
    readonly broker: Broker,
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

  addConsumer(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.#active.push(consumer);
    this.#hadConsumer = true;
    this.#changed();
  }

  removeConsumer(consumer: Consumer): void {
    remove(this.consumers, consumer);
    remove(this.#active, consumer);
    if (this.autoDelete && this.#hadConsumer && this.consumers.length === 0) this.broker.deleteQueue(this.name);
  }

  /** A consumer that was passed over for lack of credit gets back in line (at the end). */
  unblock(consumer: Consumer): void {
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
      consumer.channel.consumers.delete(consumer.tag);
      consumer.onMessage(null); // amqplib calls the consumer with null on a server-side cancel
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
      consumer.channel.deliver(consumer, this, item);
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

interface Unacked {
  readonly queue: Queue;
  readonly item: QueuedMessage;
  readonly consumer: Consumer | null;
}

/** A channel's broker-side state: delivery tags, unacked messages, consumers, prefetch, confirms. */
export class BrokerChannel {
  readonly unacked = new Map<number, Unacked>(); // in delivery-tag order
  readonly consumers = new Map<string, Consumer>();
  /** basic.qos prefetch-count for consumers started from now on (global=false, RabbitMQ's per-consumer reading). */
  prefetch = 0;
  /** basic.qos with global=true: a limit shared by all the channel's consumers (0 = none). */
  globalPrefetch = 0;
  confirmMode = false;
  closed = false;
  #nextTag = 1;
  #publishSeq = 0;
  /** Hooks the client side sets: basic.return and publisher confirms. */
  onReturn: (reply: {replyCode: number; replyText: string; message: BrokerMessage}) => void = () => {};
  onConfirm: (seq: number, ack: boolean) => void = () => {};

  constructor(
    readonly broker: Broker,
    readonly id: number,
    readonly connection: number
  ) {}

  deliver(consumer: Consumer | null, queue: Queue, item: QueuedMessage, messageCount?: number): Delivery {
    const deliveryTag = this.#nextTag++;
    const {message, redelivered} = item;
    if (!consumer?.noAck) {
      this.unacked.set(deliveryTag, {queue, item, consumer});
      queue.unacked++;
      if (consumer) consumer.unacked++;
    }
    this.broker.stats.delivered++;
    this.broker.record("rabbitmq.deliver", {
      message: message.id, queue: queue.name, channel: this.id, consumerTag: consumer?.tag ?? null, deliveryTag, redelivered
    });
    const delivery: Delivery = {
      content: message.content,
      fields: {deliveryTag, redelivered, exchange: message.exchange, routingKey: message.routingKey},
      properties: message.properties
    };
    if (consumer) {
      delivery.fields = {consumerTag: consumer.tag, ...delivery.fields};
      consumer.onMessage(delivery);
    } else delivery.fields.messageCount = messageCount;
    return delivery;
  }

  /** basic.consume: the consumer gets messages from the next dispatch on. */
  consume(queueName: string, onMessage: (delivery: Delivery | null) => void, options: {consumerTag?: string; noAck?: boolean; exclusive?: boolean} = {}): Consumer {
    this.#check();
    const method = "BasicConsume";
    const queue = this.broker.queue(queueName, method);
    const {consumerTag = this.broker.generateName("amq.ctag-"), noAck = false, exclusive = false} = options;
    this.broker.checkExclusive(queue, this.connection, method);
    if (this.consumers.has(consumerTag)) throw new AmqpError(530, `attempt to reuse consumer tag '${consumerTag}'`, method);
    if (queue.consumers.some((c) => c.exclusive) || (exclusive && queue.consumerCount > 0)) {
      throw new AmqpError(403, `queue '${queueName}' in vhost '/' in exclusive use`, method);
    }
    const consumer = new Consumer(consumerTag, queue, this, noAck, this.prefetch, exclusive, onMessage);
    this.consumers.set(consumerTag, consumer);
    this.broker.record("rabbitmq.consume", {queue: queueName, consumerTag, channel: this.id, prefetch: this.prefetch, noAck});
    queue.addConsumer(consumer);
    return consumer;
  }

  /** basic.cancel: no more deliveries; messages already delivered stay unacked until settled. */
  cancel(consumerTag: string): void {
    this.#check();
    const consumer = this.consumers.get(consumerTag);
    if (!consumer) return; // RabbitMQ answers cancel-ok for an unknown tag too
    this.consumers.delete(consumerTag);
    this.broker.record("rabbitmq.cancel", {queue: consumer.queue.name, consumerTag, channel: this.id});
    consumer.queue.removeConsumer(consumer);
  }

  /** basic.get: one message or null, with the count of ready messages left. */
  get(queueName: string, noAck = false): Delivery | null {
    this.#check();
    const queue = this.broker.queue(queueName, "BasicGet");
    const item = queue.get();
    if (!item) return null;
    if (noAck) {
      const delivery = this.deliver(null, queue, item, queue.messageCount);
      this.#release(delivery.fields.deliveryTag);
      return delivery;
    }
    return this.deliver(null, queue, item, queue.messageCount);
  }

  /** The next publish sequence number in confirm mode. */
  nextPublishSeq(): number {
    return ++this.#publishSeq;
  }

  /** basic.ack / basic.nack / basic.reject. Throws PRECONDITION_FAILED for an unknown tag, before changing anything. */
  settle(deliveryTag: number, multiple: boolean, outcome: "ack" | "requeue" | "reject"): void {
    this.#check();
    const tags: number[] = [];
    if (multiple && deliveryTag === 0) tags.push(...this.unacked.keys());
    else {
      if (!this.unacked.has(deliveryTag)) throw new AmqpError(406, `unknown delivery tag ${deliveryTag}`);
      if (!multiple) tags.push(deliveryTag);
      else for (const tag of this.unacked.keys()) if (tag <= deliveryTag) tags.push(tag);
    }
    const requeue = new Map<Queue, QueuedMessage[]>();
    for (const tag of tags) {
      const {queue, item} = this.#release(tag);
      const fields = {message: item.message.id, queue: queue.name, channel: this.id, deliveryTag: tag};
      if (outcome === "ack") {
        this.broker.stats.acked++;
        this.broker.record("rabbitmq.ack", fields);
      } else {
        this.broker.record("rabbitmq.nack", {...fields, requeue: outcome === "requeue"});
        if (queue.deleted) continue;
        if (outcome === "requeue") requeue.set(queue, [...(requeue.get(queue) ?? []), item]);
        else queue.reject(item);
      }
    }
    for (const [queue, items] of requeue) queue.requeue(items.sort((a, b) => a.seq - b.seq));
    this.#unblockConsumers();
  }

  /** Closes the channel: consumers are cancelled and unacked messages go back to their queues. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const consumer of this.consumers.values()) {
      consumer.queue.removeConsumer(consumer);
      this.broker.record("rabbitmq.cancel", {queue: consumer.queue.name, consumerTag: consumer.tag, channel: this.id});
    }
    this.consumers.clear();
    const requeue = new Map<Queue, QueuedMessage[]>();
    for (const tag of [...this.unacked.keys()]) {
      const {queue, item} = this.#release(tag);
      if (!queue.deleted) requeue.set(queue, [...(requeue.get(queue) ?? []), item]);
    }
    for (const [queue, items] of requeue) queue.requeue(items);
  }

  #release(tag: number): Unacked {
    const entry = this.unacked.get(tag)!;
    this.unacked.delete(tag);
    entry.queue.unacked--;
    if (entry.consumer) entry.consumer.unacked--;
    return entry;
  }

  #unblockConsumers(): void {
    for (const consumer of this.consumers.values()) consumer.queue.unblock(consumer);
  }

  /** basic.qos. Raising the limit lets waiting consumers take more at once. */
  qos(count: number, global: boolean): void {
    this.#check();
    if (!Number.isInteger(count) || count < 0 || count > 65535) {
      throw new RangeError(`prefetch count must be an integer from 0 (no limit) to 65535, got ${count}`);
    }
    if (global) this.globalPrefetch = count;
    else this.prefetch = count;
    this.#unblockConsumers();
  }

  #check(): void {
    if (this.closed) throw new IllegalOperationError("Channel closed");
  }
}

export interface BrokerStats {
  published: number;
  unroutable: number;
  returned: number;
  delivered: number;
  acked: number;
  deadLettered: number;
  dropped: number;
}

/** Arguments compared when a queue is declared again, in the order RabbitMQ checks them. */
const EQUIVALENT_QUEUE_ARGS = [
  "x-expires", "x-message-ttl", "x-dead-letter-exchange", "x-dead-letter-routing-key", "x-max-length",
  "x-max-length-bytes", "x-max-priority", "x-overflow", "x-queue-mode", "x-queue-type"
];

export class Broker {
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, Queue>();
  readonly stats: BrokerStats = {published: 0, unroutable: 0, returned: 0, delivered: 0, acked: 0, deadLettered: 0, dropped: 0};
  #nextMessageId = 1;
  #nextChannelId = 1;
  #nextConnectionId = 1;
  readonly #channels = new Map<number, BrokerChannel>();

  constructor(readonly sim: Simulation) {
    const predeclared: [string, ExchangeType][] = [
      ["", "direct"], ["amq.direct", "direct"], ["amq.topic", "topic"],
      ["amq.fanout", "fanout"], ["amq.headers", "headers"], ["amq.match", "headers"]
    ];
    for (const [name, type] of predeclared) this.exchanges.set(name, new Exchange(name, type, true, false, false, {}));
  }

  record<K extends TraceKind>(kind: K, fields: TraceEventMap[K]): void {
    if (kind === "rabbitmq.drop") this.stats.dropped++;
    this.sim.record(kind, fields);
  }

  openConnection(): number {
    const id = this.#nextConnectionId++;
    this.record("rabbitmq.connection.open", {connection: id});
    return id;
  }

  /** Closes a connection: its channels close, its exclusive queues are deleted. */
  closeConnection(connection: number): void {
    for (const channel of [...this.#channels.values()]) if (channel.connection === connection) this.closeChannel(channel);
    for (const queue of [...this.queues.values()]) if (queue.owner === connection) this.deleteQueue(queue.name);
    this.record("rabbitmq.connection.close", {connection});
  }

  openChannel(connection: number): BrokerChannel {
    const channel = new BrokerChannel(this, this.#nextChannelId++, connection);
    this.#channels.set(channel.id, channel);
    this.record("rabbitmq.channel.open", {channel: channel.id, connection});
    return channel;
  }

  closeChannel(channel: BrokerChannel, error?: AmqpError): void {
    if (channel.closed) return;
    channel.close();
    this.#channels.delete(channel.id);
    this.record("rabbitmq.channel.close", {channel: channel.id, ...(error ? {code: error.code, replyText: error.replyText} : {})});
  }

  declareExchange(name: string, type: string, options: ExchangeOptions = {}): Exchange {
    const method = "ExchangeDeclare";
    if (!(EXCHANGE_TYPES as readonly string[]).includes(type)) throw new AmqpError(503, `invalid exchange type '${type}'`, method);
    if (name === "") throw new AmqpError(403, "operation not permitted on the default exchange", method);
    const {durable = true, autoDelete = false, internal = false, arguments: args = {}} = options;
    const existing = this.exchanges.get(name);
    if (existing) {
      const what = `for exchange '${name}' in vhost '/'`;
      const fields: [string, unknown, unknown][] = [
        ["type", type, existing.type], ["durable", durable, existing.durable],
        ["auto_delete", autoDelete, existing.autoDelete], ["internal", internal, existing.internal],
        ["alternate-exchange", args["alternate-exchange"], existing.args["alternate-exchange"]]
      ];
      for (const [field, received, current] of fields) {
        if (received !== current) throw new AmqpError(406, `inequivalent arg '${field}' ${what}: ${describeMismatch(received, current)}`, method);
      }
      return existing;
    }
    if (name.startsWith("amq.")) throw new AmqpError(403, `exchange name '${name}' contains reserved prefix 'amq.*'`, method);
    const exchange = new Exchange(name, type as ExchangeType, durable, autoDelete, internal, {...args});
    this.exchanges.set(name, exchange);
    this.record("rabbitmq.exchange.declare", {exchange: name, type});
    return exchange;
  }

  /** queue.declare; `name` "" gets a server-generated name (amq.gen-...). `connection` owns exclusive queues. */
  declareQueue(name: string, options: QueueOptions, connection: number): Queue {
    const method = "QueueDeclare";
    const {durable = true, exclusive = false, autoDelete = false, arguments: args = {}} = options;
    const existing = this.queues.get(name);
    if (existing) {
      this.checkExclusive(existing, connection, method);
      const what = `for queue '${name}' in vhost '/'`;
      const fields: [string, unknown, unknown][] = [
        ["durable", durable, existing.durable], ["auto_delete", autoDelete, existing.autoDelete],
        ...EQUIVALENT_QUEUE_ARGS.map((arg): [string, unknown, unknown] => [arg, args[arg], existing.args[arg]])
      ];
      for (const [field, received, current] of fields) {
        if (received !== current) throw new AmqpError(406, `inequivalent arg '${field}' ${what}: ${describeMismatch(received, current)}`, method);
      }
      return existing;
    }
    if (name.startsWith("amq.")) throw new AmqpError(403, `queue name '${name}' contains reserved prefix 'amq.*'`, method);
    validateQueueArguments(name === "" ? "amq.gen-..." : name, args);
    const queueName = name === "" ? this.generateName("amq.gen-") : name;
    const queue = new Queue(this, queueName, durable, autoDelete, exclusive ? connection : null, {...args});
    this.queues.set(queueName, queue);
    this.record("rabbitmq.queue.declare", {queue: queueName, arguments: {...args}});
    return queue;
  }

  /** The queue, or NOT_FOUND as a passive queue.declare (checkQueue) answers. */
  queue(name: string, method = "QueueDeclare"): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new AmqpError(404, `no queue '${name}' in vhost '/'`, method);
    return queue;
  }

  exchange(name: string, method = "ExchangeDeclare"): Exchange {
    const exchange = this.exchanges.get(name);
    if (!exchange) throw new AmqpError(404, `no exchange '${name}' in vhost '/'`, method);
    return exchange;
  }

  /** An exclusive queue belongs to the connection that declared it: RESOURCE_LOCKED for any other. */
  checkExclusive(queue: Queue, connection: number, method: string): void {
    if (queue.owner !== null && queue.owner !== connection) {
      throw new AmqpError(405, `cannot obtain exclusive access to locked queue '${queue.name}' in vhost '/'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration.`, method);
    }
  }

  deleteQueue(name: string): number {
    const queue = this.queues.get(name);
    if (!queue) return 0;
    const messages = queue.messageCount;
    this.queues.delete(name);
    for (const exchange of this.exchanges.values()) {
      for (const binding of exchange.bindings.filter((b) => b.queue === name)) exchange.removeBinding(binding);
    }
    queue.close();
    this.record("rabbitmq.queue.delete", {queue: name, messages});
    return messages;
  }

  deleteExchange(name: string): void {
    if (name === "" || name.startsWith("amq.")) throw new AmqpError(403, `operation not permitted on the default exchange`, "ExchangeDelete");
    this.exchanges.delete(name);
  }

  bindQueue(queue: string, exchange: string, bindingKey: string, args: Record<string, unknown> = {}, connection?: number): void {
    const method = "QueueBind";
    if (exchange === "") throw new AmqpError(403, "operation not permitted on the default exchange", method);
    const x = this.exchange(exchange, method);
    const q = this.queue(queue, method);
    if (connection !== undefined) this.checkExclusive(q, connection, method);
    if (x.type === "headers") {
      const mode = xMatchOf(args);
      if (typeof mode !== "string") throw new AmqpError(406, mode.error, method);
    }
    x.addBinding({exchange, queue, bindingKey, arguments: {...args}});
    this.record("rabbitmq.bind", {exchange, queue, bindingKey, arguments: {...args}});
  }

  unbindQueue(queue: string, exchange: string, bindingKey: string, args: Record<string, unknown> = {}): void {
    const method = "QueueUnbind";
    if (exchange === "") throw new AmqpError(403, "operation not permitted on the default exchange", method);
    this.exchange(exchange, method).removeBinding({exchange, queue, bindingKey, arguments: args});
    this.queue(queue, method);
    this.record("rabbitmq.unbind", {exchange, queue, bindingKey});
  }

  /**
   * basic.publish from a channel: routes, enqueues, and (on a confirm channel) schedules the
   * confirm. Unroutable messages are counted and, with `mandatory`, returned (312 NO_ROUTE).
   * Returns the publish sequence number on a confirm channel, else 0.
   */
  publish(channel: BrokerChannel, exchange: string, routingKey: string, content: Uint8Array | string, properties: MessageProperties = {}, mandatory = false): number {
    if (channel.closed) throw new IllegalOperationError("Channel closed");
    const method = "BasicPublish";
    const x = this.exchanges.get(exchange);
    if (!x) throw new AmqpError(404, `no exchange '${exchange}' in vhost '/'`);
    if (x.internal) throw new AmqpError(403, `cannot publish to internal exchange '${exchange}' in vhost '/'`, method);
    const {expiration} = properties;
    if (expiration !== undefined && !/^\d+$/.test(expiration)) throw new AmqpError(406, `invalid expiration '${expiration}': {value_not_integer, ...}`);
    const message: BrokerMessage = {id: this.#nextMessageId++, exchange, routingKey, content: toContent(content), properties: {...properties}};
    const seq = channel.confirmMode ? channel.nextPublishSeq() : 0;
    const queues = this.#route(x, message);
    this.stats.published++;
    this.record("rabbitmq.publish", {message: message.id, channel: channel.id, exchange, routingKey, queues: [...queues]});
    let ack = true;
    if (queues.size === 0) {
      this.stats.unroutable++;
      this.record("rabbitmq.unroutable", {message: message.id, exchange, routingKey, mandatory});
      if (mandatory) {
        this.stats.returned++;
        // basic.return reaches the publisher before the confirm of the same message.
        this.sim.schedule(0, () => {
          if (channel.closed) return;
          this.record("rabbitmq.return", {message: message.id, channel: channel.id, replyCode: 312, replyText: "NO_ROUTE"});
          channel.onReturn({replyCode: 312, replyText: "NO_ROUTE", message});
        });
      }
    }
    for (const name of queues) if (!this.queues.get(name)!.enqueue(message)) ack = false;
    if (seq > 0) {
      this.sim.schedule(0, () => {
        if (channel.closed) return;
        this.record("rabbitmq.confirm", {channel: channel.id, seq, ack});
        channel.onConfirm(seq, ack);
      });
    }
    return seq;
  }

  /** An exchange's queues, falling back to its alternate exchange(s) when it routes nowhere. */
  #route(x: Exchange, message: BrokerMessage, visited = new Set<string>()): Set<string> {
    visited.add(x.name);
    const queues = x.route(message.routingKey, message.properties.headers, new Set());
    for (const name of queues) if (!this.queues.has(name)) queues.delete(name); // default exchange: only real queues
    const ae = x.alternateExchange;
    if (queues.size === 0 && ae !== undefined && !visited.has(ae)) {
      const next = this.exchanges.get(ae);
      if (next) return this.#route(next, message, visited);
    }
    return queues;
  }

  /**
   * Republishes a message to its queue's dead-letter exchange with an updated x-death header
   * (https://www.rabbitmq.com/docs/dlx). Without a DLX, or if it does not exist, the message is dropped.
   */
  deadLetter(queue: Queue, message: BrokerMessage, reason: DeadLetterReason): void {
    const dlx = queue.args["x-dead-letter-exchange"];
    const x = typeof dlx === "string" ? this.exchanges.get(dlx) : undefined;
    if (!x) {
      this.record("rabbitmq.drop", {message: message.id, queue: queue.name, reason});
      return;
    }
    const routingKey = (queue.args["x-dead-letter-routing-key"] as string | undefined) ?? message.routingKey;
    const headers = withDeath(message, queue.name, reason, Math.floor(this.sim.now / 1000));
    const {expiration: _expired, ...properties} = message.properties;
    const dead: BrokerMessage = {id: message.id, exchange: x.name, routingKey, content: message.content, properties: {...properties, headers}};
    this.stats.deadLettered++;
    const queues = this.#route(x, dead);
    // A message that went round a cycle of queues with no rejection in it is dropped.
    if (reason !== "rejected") for (const name of queues) if (isCycle(name, headers["x-death"] as XDeath[])) queues.delete(name);
    this.record("rabbitmq.deadletter", {message: message.id, queue: queue.name, reason, exchange: x.name, routingKey, queues: [...queues]});
    for (const name of queues) this.queues.get(name)!.enqueue(dead);
  }

  /** A name like RabbitMQ's amq.gen-… and amq.ctag-…, drawn from the run's random source. */
  generateName(prefix: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let name = prefix;
    for (let i = 0; i < 22; i++) name += alphabet[this.sim.random.int(64)];
    return name;
  }
}

interface XDeath {
  count: number;
  reason: DeadLetterReason;
  queue: string;
  time: number;
  exchange: string;
  "routing-keys": string[];
  "original-expiration"?: string;
}

/** The headers after one more death: the {queue, reason} entry counts up and moves first (3.10). */
function withDeath(message: BrokerMessage, queue: string, reason: DeadLetterReason, time: number): Record<string, unknown> {
  const headers = {...message.properties.headers};
  const deaths = Array.isArray(headers["x-death"]) ? [...(headers["x-death"] as XDeath[])] : [];
  const i = deaths.findIndex((d) => d.queue === queue && d.reason === reason);
  if (i >= 0) {
    const [found] = deaths.splice(i, 1);
    deaths.unshift({...found, count: found.count + 1});
  } else {
    const entry: XDeath = {count: 1, reason, queue, time, exchange: message.exchange, "routing-keys": [message.routingKey]};
    if (message.properties.expiration !== undefined) entry["original-expiration"] = message.properties.expiration;
    deaths.unshift(entry);
  }
  headers["x-death"] = deaths;
  if (headers["x-first-death-reason"] === undefined) {
    headers["x-first-death-reason"] = reason;
    headers["x-first-death-queue"] = queue;
    headers["x-first-death-exchange"] = message.exchange;
  }
  return headers;
}

function isCycle(queue: string, deaths: XDeath[]): boolean {
  const i = deaths.findIndex((d) => d.queue === queue);
  return i >= 0 && deaths.slice(0, i + 1).every((d) => d.reason !== "rejected");
}

function validateQueueArguments(name: string, args: Record<string, unknown>): void {
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

function describeMismatch(received: unknown, current: unknown): string {
  const show = (v: unknown, other: unknown) =>
    v === undefined ? "none" : other === undefined ? `the value '${String(v)}' of type '${amqpType(v)}'` : `'${String(v)}'`;
  return `received ${show(received, current)} but current is ${show(current, received)}`;
}

function remove<T>(items: T[], item: T): void {
  const i = items.indexOf(item);
  if (i >= 0) items.splice(i, 1);
}

/** A broker on the simulation; connect to it with amqplib.ts's `connect(url, {broker})`. */
export function createBroker(sim: Simulation): Broker {
  return new Broker(sim);
}
