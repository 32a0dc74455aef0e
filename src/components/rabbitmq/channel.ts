// A channel's broker side: consumers (basic.consume, basic.cancel, basic.qos prefetch), delivery
// tags and the unacked messages they name (ack, nack, reject), basic.get, publisher confirms.
// https://www.rabbitmq.com/docs/consumers, /confirms, /consumer-prefetch

import type {TraceEventMap, TraceKind} from "../sim/index.js";
import {AmqpError, IllegalOperationError} from "./errors.js";
import type {Queue, QueueConsumer} from "./queue.js";
import type {BrokerMessage, BrokerStats, Delivery, QueuedMessage} from "./message.js";

/** What a channel asks of its broker, declared here so that channel.ts does not import broker.ts (Broker implements it). */
export interface ChannelBroker {
  readonly stats: BrokerStats;
  record<K extends TraceKind>(kind: K, fields: TraceEventMap[K]): void;
  queue(name: string, method?: string): Queue;
  generateName(prefix: string): string;
  checkExclusive(queue: Queue, connection: number, method: string): void;
}

export class Consumer implements QueueConsumer {
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

  take(queue: Queue, item: QueuedMessage): void {
    this.channel.deliver(this, queue, item);
  }

  cancelled(): void {
    this.channel.consumers.delete(this.tag);
    this.onMessage(null); // amqplib calls the consumer with null on a server-side cancel
  }

  get canTake(): boolean {
    const ch = this.channel;
    if (ch.closed) return false;
    if (this.noAck) return true;
    return (this.prefetch === 0 || this.unacked < this.prefetch) && (ch.globalPrefetch === 0 || ch.unacked.size < ch.globalPrefetch);
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
    readonly broker: ChannelBroker,
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

