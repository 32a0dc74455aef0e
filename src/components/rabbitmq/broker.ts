// A RabbitMQ broker (one vhost, classic queues) on the simulation clock. Exchanges route each
// published message to queues; a queue hands its messages to consumers in turn, within their
// prefetch, and keeps each delivered message until it is acked. Nacked or rejected messages go
// back (redelivered) or to the dead-letter exchange. Deliveries are simulation tasks, so after
// `await sim.runUntilIdle()` every delivery that was due has happened; message TTLs are
// background timers, so only `sim.advance(ms)` lets them expire.
// Reference: https://www.rabbitmq.com/docs/ (queues, consumers, confirms, ttl, maxlength, dlx), 3.10.

import type {Simulation, TraceEventMap, TraceKind} from "../sim/index.js";
import {AmqpError, IllegalOperationError} from "./errors.js";
import {amqpType, checkTable, xMatchOf} from "./routing.js";
import {BrokerChannel} from "./channel.js";
import {EXCHANGE_TYPES, Exchange, type ExchangeOptions, type ExchangeType} from "./exchange.js";
import {EQUIVALENT_QUEUE_ARGS, Queue, validateQueueArguments, type DeadLetterReason, type QueueOptions} from "./queue.js";
import {toContent, type BrokerMessage, type BrokerStats, type MessageProperties} from "./message.js";

export type {ExchangeType};


/** Arguments compared when a queue is declared again, in the order RabbitMQ checks them. */
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
    checkTable(args, "binding arguments");
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
    checkTable(args, "binding arguments");
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
    if (properties.headers !== undefined) checkTable(properties.headers, "message headers");
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

function describeMismatch(received: unknown, current: unknown): string {
  const show = (v: unknown, other: unknown) =>
    v === undefined ? "none" : other === undefined ? `the value '${String(v)}' of type '${amqpType(v)}'` : `'${String(v)}'`;
  return `received ${show(received, current)} but current is ${show(current, received)}`;
}

/** A broker on the simulation; connect to it with amqplib.ts's `connect(url, {broker})`. */
export function createBroker(sim: Simulation): Broker {
  return new Broker(sim);
}
