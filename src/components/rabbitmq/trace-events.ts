// The RabbitMQ model's trace events: kind => fields, exactly as the broker records them (through
// Broker.record). Declaration merging adds them to the kernel's TraceEventMap; nothing imports
// this file: tsc reads it with src/.

import type {DeadLetterReason} from "./queue.js";

/** A message's place in a queue: its broker-wide id (a dead-lettered copy keeps it) and the queue. */
interface InQueue {
  message: number;
  queue: string;
}

/** A delivery on a channel, identified by its delivery tag. */
interface Settled extends InQueue {
  channel: number;
  deliveryTag: number;
}

declare module "../sim/trace.js" {
  interface TraceEventMap {
    "rabbitmq.connection.open": {connection: number};
    /** The connection's channels closed and its exclusive queues were deleted. */
    "rabbitmq.connection.close": {connection: number};
    "rabbitmq.channel.open": {channel: number; connection: number};
    /** A channel closed; a channel error (channel.close from the broker) adds its reply code and text. */
    "rabbitmq.channel.close": {channel: number; code?: number; replyText?: string};
    "rabbitmq.exchange.declare": {exchange: string; type: string};
    /** queue.declare of a new queue, with its x-arguments. */
    "rabbitmq.queue.declare": {queue: string; arguments: Record<string, unknown>};
    /** The queue went with `messages` ready messages. */
    "rabbitmq.queue.delete": {queue: string; messages: number};
    "rabbitmq.bind": {exchange: string; queue: string; bindingKey: string; arguments: Record<string, unknown>};
    "rabbitmq.unbind": {exchange: string; queue: string; bindingKey: string};

    /** basic.publish, with the queues the exchange (or its alternate exchange) routed to. */
    "rabbitmq.publish": {message: number; channel: number; exchange: string; routingKey: string; queues: string[]};
    /** No queue took the message; with `mandatory` it is returned. */
    "rabbitmq.unroutable": {message: number; exchange: string; routingKey: string; mandatory: boolean};
    /** basic.return to the publisher (312 NO_ROUTE). */
    "rabbitmq.return": {message: number; channel: number; replyCode: number; replyText: string};
    /** Publisher confirm: basic.ack (ack) or basic.nack (a queue refused it: x-overflow reject-publish). */
    "rabbitmq.confirm": {channel: number; seq: number; ack: boolean};

    /** A message joined the queue; `ready` counts the queue's ready messages after it. */
    "rabbitmq.enqueue": InQueue & {ready: number};
    /** A delivered message went back to its original position, marked redelivered. */
    "rabbitmq.requeue": InQueue & {ready: number};
    /** Dropped: refused by x-overflow reject-publish, or dead-lettered without a dead-letter exchange. */
    "rabbitmq.drop": InQueue & {reason: DeadLetterReason};
    /** Republished to the queue's dead-letter exchange, which routed it to `queues`. */
    "rabbitmq.deadletter": InQueue & {reason: DeadLetterReason; exchange: string; routingKey: string; queues: string[]};

    /** basic.deliver to a consumer, or basic.get-ok (consumerTag null). */
    "rabbitmq.deliver": InQueue & {channel: number; consumerTag: string | null; deliveryTag: number; redelivered: boolean};
    /** basic.consume: a consumer with the channel's prefetch (basic.qos). */
    "rabbitmq.consume": {queue: string; consumerTag: string; channel: number; prefetch: number; noAck: boolean};
    "rabbitmq.cancel": {queue: string; consumerTag: string; channel: number};
    "rabbitmq.ack": Settled;
    /** basic.nack or basic.reject: requeued, or else dead-lettered or dropped. */
    "rabbitmq.nack": Settled & {requeue: boolean};
  }
}
