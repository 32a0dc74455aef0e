// An amqplib-shaped client for the simulated broker: the same names, arguments and option
// objects as amqplib's promise API (https://amqp-node.github.io/amqplib/channel_api.html), so
// code written in a cell runs against a real RabbitMQ by swapping the import:
//
//   const sim = createSimulation({seed: 1});
//   const conn = await connect("amqp://localhost", {broker: createBroker(sim)});
//   const ch = await conn.createChannel();
//   await ch.assertQueue("tasks");
//   ch.sendToQueue("tasks", "hello");           // amqplib wants a Buffer; a string is accepted too
//   await ch.consume("tasks", (msg) => { if (msg) ch.ack(msg); });
//   await sim.runUntilIdle();                     // deliveries happen on the simulation clock
//
// Methods act on the broker at once (at sim.now) and return settled promises; deliveries,
// returns and confirms are simulation tasks. A refused method closes the channel (or, for
// hard errors, the connection) and rejects with an AmqpError whose message is amqplib's.

import {AmqpError, IllegalOperationError} from "./errors.js";
import {checkTable} from "./routing.js";
import type {Broker} from "./broker.js";
import type {BrokerChannel} from "./channel.js";
import type {Delivery, MessageProperties} from "./message.js";

export {AmqpError, IllegalOperationError} from "./errors.js";

export type Message = Delivery;
export type ConsumeMessage = Delivery & {fields: {consumerTag: string}};
export type GetMessage = Delivery & {fields: {messageCount: number}};

/** Option objects with amqplib's names (the subset this model understands). */
export namespace Options {
  export interface AssertExchange {
    durable?: boolean;
    internal?: boolean;
    autoDelete?: boolean;
    alternateExchange?: string;
    arguments?: any;
  }
  export interface AssertQueue {
    exclusive?: boolean;
    durable?: boolean;
    autoDelete?: boolean;
    arguments?: any;
    messageTtl?: number;
    expires?: number;
    deadLetterExchange?: string;
    deadLetterRoutingKey?: string;
    maxLength?: number;
    maxPriority?: number;
    overflow?: string;
  }
  export interface DeleteQueue {
    ifUnused?: boolean;
    ifEmpty?: boolean;
  }
  export interface Publish {
    expiration?: string | number;
    userId?: string;
    priority?: number;
    persistent?: boolean;
    deliveryMode?: boolean | number;
    mandatory?: boolean;
    contentType?: string;
    contentEncoding?: string;
    headers?: any;
    correlationId?: string;
    replyTo?: string;
    messageId?: string;
    timestamp?: number;
    type?: string;
    appId?: string;
  }
  export interface Consume {
    consumerTag?: string;
    noLocal?: boolean;
    noAck?: boolean;
    exclusive?: boolean;
    priority?: number;
    arguments?: any;
  }
  export interface Get {
    noAck?: boolean;
  }
}

export namespace Replies {
  export interface Empty {}
  export interface AssertExchange {
    exchange: string;
  }
  export interface AssertQueue {
    queue: string;
    messageCount: number;
    consumerCount: number;
  }
  export interface DeleteQueue {
    messageCount: number;
  }
  export type PurgeQueue = DeleteQueue;
  export interface Consume {
    consumerTag: string;
  }
}

/** What ack, nack and reject read from a message: its delivery tag (so an amqplib Message fits too). */
export type Settle = {fields: {deliveryTag: number}};

/** Message bytes: a Uint8Array (a Node Buffer is one) or a string, sent as UTF-8. */
export type Content = Uint8Array | string;

type Listener = (...args: any[]) => void;

/** The part of Node's EventEmitter that amqplib code uses ('error', 'close', 'return', 'drain'). */
class Emitter {
  #listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const once: Listener = (...args) => {
      this.off(event, once);
      listener(...args);
    };
    return this.on(event, once);
  }
  off(event: string, listener: Listener): this {
    this.#listeners.set(event, (this.#listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  listenerCount(event: string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }
  emit(event: string, ...args: unknown[]): boolean {
    const listeners = this.#listeners.get(event) ?? [];
    for (const listener of listeners) listener(...args);
    return listeners.length > 0;
  }
}

/**
 * Connects to a simulated broker. The url is only for symmetry with amqplib (it is not read);
 * the second argument, where amqplib takes socket options, names the broker.
 */
export async function connect(_url: string | undefined, options: {broker: Broker}): Promise<Connection> {
  if (!options?.broker) throw new TypeError("connect(url, {broker}) needs the simulated broker: createBroker(sim)");
  return new Connection(options.broker);
}

export class Connection extends Emitter {
  readonly #broker: Broker;
  readonly #id: number;
  readonly #channels = new Set<Channel>();
  #closed = false;

  constructor(broker: Broker) {
    super();
    this.#broker = broker;
    this.#id = broker.openConnection();
  }

  async createChannel(): Promise<Channel> {
    return this.#open(new Channel(this, this.#broker, this.#id));
  }

  async createConfirmChannel(): Promise<ConfirmChannel> {
    return this.#open(new ConfirmChannel(this, this.#broker, this.#id));
  }

  #open<C extends Channel>(channel: C): C {
    if (this.#closed) throw new IllegalOperationError("Connection closed");
    this.#channels.add(channel);
    channel.once("close", () => this.#channels.delete(channel));
    return channel;
  }

  /** Closes every channel (unacked messages go back to their queues) and deletes exclusive queues. */
  async close(): Promise<void> {
    this.#shutdown();
  }

  /** A hard error (e.g. 503 COMMAND_INVALID): the broker closes the whole connection. */
  fail(error: AmqpError): void {
    this.#shutdown(error);
  }

  #shutdown(error?: AmqpError): void {
    if (this.#closed) throw new IllegalOperationError("Connection closed");
    this.#closed = true;
    for (const channel of [...this.#channels]) channel.closed(error);
    this.#broker.closeConnection(this.#id);
    if (error) this.emit("error", error);
    this.emit("close", error);
  }
}

export class Channel extends Emitter {
  protected readonly broker: Broker;
  protected readonly state: BrokerChannel;
  readonly #connection: Connection;

  constructor(connection: Connection, broker: Broker, connectionId: number) {
    super();
    this.#connection = connection;
    this.broker = broker;
    this.state = broker.openChannel(connectionId);
    this.state.onReturn = ({replyCode, replyText, message}) =>
      this.emit("return", {
        content: message.content,
        fields: {replyCode, replyText, exchange: message.exchange, routingKey: message.routingKey},
        properties: message.properties
      });
  }

  // -- exchanges and queues --------------------------------------------------------------

  assertExchange(exchange: string, type: string, options: Options.AssertExchange = {}): Promise<Replies.AssertExchange> {
    return this.rpc(() => {
      const {alternateExchange, arguments: args, ...flags} = options;
      const argt = {...args, ...(alternateExchange === undefined ? {} : {"alternate-exchange": alternateExchange})};
      this.broker.declareExchange(exchange, type, {...flags, arguments: argt});
      return {exchange};
    });
  }

  checkExchange(exchange: string): Promise<Replies.Empty> {
    return this.rpc(() => (this.broker.exchange(exchange), {}));
  }

  deleteExchange(exchange: string): Promise<Replies.Empty> {
    return this.rpc(() => (this.broker.deleteExchange(exchange), {}));
  }

  /** queue.declare. Options are translated to x-arguments as amqplib does (messageTtl → x-message-ttl, ...). */
  assertQueue(queue = "", options: Options.AssertQueue = {}): Promise<Replies.AssertQueue> {
    return this.rpc(() => {
      const {durable = true, exclusive = false, autoDelete = false, arguments: args} = options;
      const q = this.broker.declareQueue(queue, {durable, exclusive, autoDelete, arguments: queueArguments(options, args)}, this.state.connection);
      return {queue: q.name, messageCount: q.messageCount, consumerCount: q.consumerCount};
    });
  }

  checkQueue(queue: string): Promise<Replies.AssertQueue> {
    return this.rpc(() => {
      const q = this.broker.queue(queue);
      this.broker.checkExclusive(q, this.state.connection, "QueueDeclare");
      return {queue, messageCount: q.messageCount, consumerCount: q.consumerCount};
    });
  }

  deleteQueue(queue: string, options: Options.DeleteQueue = {}): Promise<Replies.DeleteQueue> {
    return this.rpc(() => {
      const q = this.broker.queues.get(queue);
      if (q && options.ifUnused && q.consumerCount > 0) throw new AmqpError(406, `queue '${queue}' in vhost '/' in use`, "QueueDelete");
      if (q && options.ifEmpty && q.messageCount > 0) throw new AmqpError(406, `queue '${queue}' in vhost '/' is not empty`, "QueueDelete");
      return {messageCount: this.broker.deleteQueue(queue)};
    });
  }

  purgeQueue(queue: string): Promise<Replies.PurgeQueue> {
    return this.rpc(() => ({messageCount: this.broker.queue(queue, "QueuePurge").purge()}));
  }

  bindQueue(queue: string, source: string, pattern: string, args: any = {}): Promise<Replies.Empty> {
    return this.rpc(() => (routingKeyField(pattern), this.broker.bindQueue(queue, source, pattern, args, this.state.connection), {}));
  }

  unbindQueue(queue: string, source: string, pattern: string, args: any = {}): Promise<Replies.Empty> {
    return this.rpc(() => (routingKeyField(pattern), this.broker.unbindQueue(queue, source, pattern, args), {}));
  }

  // -- publishing --------------------------------------------------------------------------

  /** basic.publish. Returns true (no flow control in the model). */
  publish(exchange: string, routingKey: string, content: Content, options: Options.Publish = {}): boolean {
    // Inside act, after its closed check: amqplib's closed channel refuses before encoding any field.
    this.act(() => (routingKeyField(routingKey), this.broker.publish(this.state, exchange, routingKey, content, publishProperties(options), !!options.mandatory)));
    return true;
  }

  /** Publishes through the default exchange, which routes to the queue of that name. */
  sendToQueue(queue: string, content: Content, options: Options.Publish = {}): boolean {
    return this.publish("", queue, content, options);
  }

  // -- consuming ----------------------------------------------------------------------------

  consume(queue: string, onMessage: (msg: ConsumeMessage | null) => void, options: Options.Consume = {}): Promise<Replies.Consume> {
    return this.rpc(() => {
      const consumer = this.state.consume(queue, onMessage as (delivery: Delivery | null) => void, options);
      return {consumerTag: consumer.tag};
    });
  }

  cancel(consumerTag: string): Promise<Replies.Empty> {
    return this.rpc(() => (this.state.cancel(consumerTag), {}));
  }

  /** basic.get: the next ready message, or false when the queue has none. */
  get(queue: string, options: Options.Get = {}): Promise<GetMessage | false> {
    return this.rpc(() => (this.state.get(queue, !!options.noAck) as GetMessage | null) ?? false);
  }

  /** basic.qos. `global` false (the default): a limit per consumer started after this call; true: one limit for the channel. */
  prefetch(count: number, global = false): Promise<Replies.Empty> {
    return this.rpc(() => (this.state.qos(count, global), {}));
  }

  ack(message: Settle, allUpTo = false): void {
    this.act(() => this.state.settle(message.fields.deliveryTag, allUpTo, "ack"));
  }

  ackAll(): void {
    this.act(() => this.state.settle(0, true, "ack"));
  }

  nack(message: Settle, allUpTo = false, requeue = true): void {
    this.act(() => this.state.settle(message.fields.deliveryTag, allUpTo, requeue ? "requeue" : "reject"));
  }

  nackAll(requeue = true): void {
    this.act(() => this.state.settle(0, true, requeue ? "requeue" : "reject"));
  }

  reject(message: Settle, requeue = true): void {
    this.nack(message, false, requeue);
  }

  /** Closes the channel: its consumers stop and its unacked messages return to their queues (redelivered). */
  async close(): Promise<void> {
    if (this.state.closed) throw new IllegalOperationError("Channel closed");
    this.closed();
  }

  /** @internal The channel is gone (closed by the client, by a channel error, or with its connection). */
  closed(error?: AmqpError): void {
    if (this.state.closed) return;
    this.broker.closeChannel(this.state, error);
    if (error) this.emit("error", error);
    this.emit("close");
  }

  /** An RPC-style method: a channel error closes the channel and rejects, as amqplib does. */
  protected rpc<T>(method: () => T): Promise<T> {
    try {
      return Promise.resolve(this.#run(method));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A fire-and-forget method (publish, ack, nack). A real broker reports its error later as the
   * channel's 'error' event; with no listener the error is thrown here, where it is easiest to see.
   */
  protected act<T>(method: () => T): T {
    const listening = this.listenerCount("error") > 0;
    try {
      return this.#run(method);
    } catch (error) {
      if (error instanceof AmqpError && listening) return undefined as T;
      throw error;
    }
  }

  #run<T>(method: () => T): T {
    if (this.state.closed) throw new IllegalOperationError("Channel closed");
    try {
      return method();
    } catch (error) {
      if (error instanceof AmqpError) {
        if (error.connectionError) this.#connection.fail(error);
        else this.closed(error);
      }
      throw error;
    }
  }
}

/** A channel in confirm mode: every publish is acked (or nacked) by the broker. */
export class ConfirmChannel extends Channel {
  readonly #pending = new Map<number, ((err: Error | null) => void) | undefined>();
  readonly #waiting: {resolve: () => void; reject: (e: Error) => void; nacked: boolean}[] = [];

  constructor(connection: Connection, broker: Broker, connectionId: number) {
    super(connection, broker, connectionId);
    this.state.confirmMode = true;
    this.state.onConfirm = (seq, ack) => {
      const callback = this.#pending.get(seq);
      this.#pending.delete(seq);
      callback?.(ack ? null : new Error("message nacked"));
      for (const w of this.#waiting) w.nacked ||= !ack;
      if (this.#pending.size === 0) for (const w of this.#waiting.splice(0)) w.nacked ? w.reject(new Error("message nacked")) : w.resolve();
    };
  }

  override publish(exchange: string, routingKey: string, content: Content, options: Options.Publish = {}, callback?: (err: any, ok: Replies.Empty) => void): boolean {
    const seq = this.act(() => (routingKeyField(routingKey), this.broker.publish(this.state, exchange, routingKey, content, publishProperties(options), !!options.mandatory)));
    // The confirm is a later simulation task, so registering the callback now is in time.
    if (seq) this.#pending.set(seq, callback ? (err) => callback(err, {}) : undefined);
    return true;
  }

  override sendToQueue(queue: string, content: Content, options: Options.Publish = {}, callback?: (err: any, ok: Replies.Empty) => void): boolean {
    return this.publish("", queue, content, options, callback);
  }

  /** Resolves once every message published so far is confirmed; rejects if any of them was nacked. */
  waitForConfirms(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiting.push({resolve, reject, nacked: false}));
  }
}

/**
 * A routing or binding key as amqplib encodes it: an AMQP shortstr, at most 255 bytes, refused
 * with amqplib's own TypeError before anything is sent (so a pasted 100 KB key never reaches the
 * topic matcher either).
 */
function routingKeyField(value: unknown): void {
  if (value !== undefined && !(typeof value === "string" && fitsShortstr(value))) {
    throw new TypeError("Field 'routingKey' is the wrong type; must be a string (up to 255 chars)");
  }
}

const utf8 = new TextEncoder();

/**
 * At most 255 bytes of UTF-8, checked on every publish: a UTF-16 unit takes 1 to 3 bytes (a
 * surrogate pair, 4 for its two), so up to 85 units always fit and over 255 never do; only a
 * string between is encoded.
 */
function fitsShortstr(s: string): boolean {
  if (s.length <= 85) return true;
  if (s.length > 255) return false;
  return utf8.encode(s).length <= 255;
}

function queueArguments(options: Options.AssertQueue, args: Record<string, unknown> = {}): Record<string, unknown> {
  const promoted: Record<string, unknown> = {
    "x-expires": options.expires,
    "x-message-ttl": options.messageTtl,
    "x-dead-letter-exchange": options.deadLetterExchange,
    "x-dead-letter-routing-key": options.deadLetterRoutingKey,
    "x-max-length": options.maxLength,
    "x-max-priority": options.maxPriority,
    "x-overflow": options.overflow
  };
  const result = {...args};
  for (const [key, value] of Object.entries(promoted)) if (value !== undefined) result[key] = value;
  return result;
}

function publishProperties(options: Options.Publish): MessageProperties {
  const {mandatory: _mandatory, persistent, deliveryMode, expiration, headers, ...rest} = options;
  const mode = persistent !== undefined ? (persistent ? 2 : 1) : typeof deliveryMode === "number" ? deliveryMode : deliveryMode ? 2 : undefined;
  const properties: MessageProperties = {...rest, headers: headers === undefined ? {} : {...checkTable(headers, "options.headers")}};
  if (mode !== undefined) properties.deliveryMode = mode;
  if (expiration !== undefined) properties.expiration = String(expiration);
  return properties;
}
