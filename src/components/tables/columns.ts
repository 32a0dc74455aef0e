// What each table function returns: its trace source and its columns, in order. The table
// functions build their tables from these keys, the cells' completions show them, and
// test/tables checks each table against them. Plain data: the page loads it without arquero.

export interface TableDoc {
  /** The signature shown in completions. */
  detail: string;
  summary: string;
  /** Column name => meaning, in the table's column order. */
  columns: Record<string, string>;
}

const event = "The event's position in the run's trace: orders events that share a virtual time.";
const time = "Virtual time of the event, in ms.";
const place = {topic: "The topic.", partition: "The partition.", offset: "The record's offset in the partition."};

export const tableDocs = {
  recordsAppended: {
    detail: "(run) => Table",
    summary: "Kafka: every record a partition leader wrote to its log (trace kind kafka.append).",
    columns: {
      event,
      time,
      ...place,
      key: "The record's key (null: keyless).",
      value: "The record's value.",
      timestamp: "CreateTime, set by the producer.",
      producer: "The producer's client id.",
      producerId: "The producer id (PID) the broker assigned.",
      producerEpoch: "The producer epoch (bumped by initTransactions).",
      sequence: "The idempotent producer's sequence number (-1 without idempotence).",
      batch: "The producer's batch number.",
      sendIndex: "The record's position in its producer's send order.",
      attempt: "1 for the first send of its batch, n + 1 for the nth retry.",
      transactional: "Written inside a transaction.",
      transaction: '"committed", "aborted" or "open" (the run ended first) for a transactional record; null otherwise.',
      truncated: "A later leader failover cut the record from the log."
    }
  },
  recordsConsumed: {
    detail: "(run) => Table",
    summary: "Kafka: every record handed to a consumer's handler (kafka.consume); a redelivery is another row.",
    columns: {
      event,
      time,
      group: "The consumer group (null: a consumer without one, assign()).",
      member: "The consumer's member id.",
      ...place,
      key: "The record's key.",
      value: "The record's value.",
      redelivered: "The group (or, without a group, the consumer) had received this offset before: at-least-once redelivery."
    }
  },
  offsetCommits: {
    detail: "(run) => Table",
    summary: "Kafka: every offset commit (kafka.commit): the next offset the group will read.",
    columns: {
      event,
      time,
      group: "The consumer group.",
      member: "The member that committed (null: committed by a transaction).",
      transactionalId: "The transaction that committed it (sendOffsetsToTransaction), else null.",
      ...place,
      offset: "The committed offset: the next one the group will read."
    }
  },
  groupRebalances: {
    detail: "(run) => Table",
    summary: "Kafka: every rebalance a group started (kafka.group.rebalance, PreparingRebalance).",
    columns: {event, time, group: "The consumer group.", generation: "The generation the rebalance ends.", reason: "Why: a member joined, left, crashed, ..."}
  },
  partitionAssignments: {
    detail: "(run) => Table",
    summary: "Kafka: the partitions the group leader's assignor handed out at each SyncGroup (kafka.group.sync), one row per member and partition.",
    columns: {
      event,
      time,
      group: "The consumer group.",
      generation: "The group generation.",
      assignor: "The assignor (range, roundrobin, sticky, cooperative-sticky).",
      leader: "The member that computed the assignment.",
      member: "The member that owns the partition.",
      topic: "The topic.",
      partition: "The partition."
    }
  },
  transactionMarkers: {
    detail: "(run) => Table",
    summary: "Kafka: the control records a transaction's end wrote, one per partition of the transaction (kafka.txn.commit, kafka.txn.abort): they take an offset, and no consumer receives them.",
    columns: {
      event,
      time,
      ...place,
      type: '"COMMIT" or "ABORT".',
      transactionalId: "The producer's transactional.id.",
      producerId: "The producer id (PID).",
      producerEpoch: "The producer epoch the marker carries.",
      reason: 'Why it ended: "commit", "abort", "timeout" (transaction.timeout.ms) or "fenced" (a new producer with the same transactional.id).'
    }
  },
  logEndOffsets: {
    detail: "(run) => Table",
    summary: "Kafka: each partition's log-end offset after every append, transaction marker and truncating leader election.",
    columns: {event, time, topic: "The topic.", partition: "The partition.", logEndOffset: "The offset the next record will get."}
  },
  consumerLag: {
    detail: "(run, {bucketMs = 1000}) => Table",
    summary: "Kafka: consumer lag per group and partition at the end of every bucketMs window (only partitions the group consumed or committed).",
    columns: {
      time: "End of the window, in ms.",
      group: "The consumer group.",
      topic: "The topic.",
      partition: "The partition.",
      logEndOffset: "The partition's log-end offset.",
      committed: "The group's committed offset (0 before its first commit).",
      lag: "logEndOffset minus committed."
    }
  },
  duplicateDeliveries: {
    detail: "(run) => Table",
    summary: "Kafka: records a group received more than once, with when and by whom (a query on recordsConsumed).",
    columns: {
      group: "The consumer group (null: a consumer without one).",
      ...place,
      key: "The record's key.",
      deliveries: "How many times the group received it.",
      times: "The delivery times, in order.",
      members: "The member of each delivery."
    }
  },
  duplicateWrites: {
    detail: "(run) => Table",
    summary: "Kafka: records written to the log more than once (a retry without idempotence); copies a leader failover cut do not count.",
    columns: {
      producer: "The producer's client id.",
      sendIndex: "The record's position in its producer's send order.",
      batch: "The producer's batch number.",
      topic: "The topic.",
      partition: "The partition.",
      key: "The record's key.",
      offsets: "The offsets holding a copy."
    }
  },
  orderViolations: {
    detail: "(run) => Table",
    summary: "Kafka: a group's first receipt of a record that its producer sent before another record of the same key the group already had.",
    columns: {
      time,
      group: "The consumer group.",
      producer: "The producer's client id.",
      key: "The record's key.",
      ...place,
      sendIndex: "The record's position in its producer's send order...",
      after: "...and the highest send index the group had already received for the key."
    }
  },
  messagesPublished: {
    detail: "(run) => Table",
    summary: "RabbitMQ: every basic.publish and the queues the exchange routed it to (rabbitmq.publish).",
    columns: {
      event,
      time,
      message: "The broker-wide message id (its dead-lettered copies keep it).",
      channel: "The publisher's channel.",
      exchange: 'The exchange ("" is the default exchange).',
      routingKey: "The routing key.",
      queues: "The queues it was routed to (empty: unroutable)."
    }
  },
  messagesDelivered: {
    detail: "(run) => Table",
    summary: "RabbitMQ: every basic.deliver to a consumer and basic.get-ok (rabbitmq.deliver).",
    columns: {
      event,
      time,
      message: "The broker-wide message id.",
      queue: "The queue it came from.",
      channel: "The consumer's channel.",
      consumerTag: "The consumer (null: basic.get).",
      deliveryTag: "The delivery tag, numbered per channel.",
      redelivered: "The redelivered flag: the message was delivered before and requeued."
    }
  },
  consumerAcks: {
    detail: "(run) => Table",
    summary: "RabbitMQ: every consumer acknowledgement: basic.ack, basic.nack and basic.reject (rabbitmq.ack, rabbitmq.nack).",
    columns: {
      event,
      time,
      message: "The broker-wide message id.",
      queue: "The queue it came from.",
      channel: "The channel.",
      deliveryTag: "The delivery tag it settles.",
      outcome: '"ack" or "nack" (basic.nack and basic.reject).',
      requeue: "A nack that put the message back in its queue (false for an ack)."
    }
  },
  messagesDeadLettered: {
    detail: "(run) => Table",
    summary: "RabbitMQ: every message republished to its queue's dead-letter exchange (rabbitmq.deadletter).",
    columns: {
      event,
      time,
      message: "The broker-wide message id.",
      queue: "The queue it left.",
      reason: "rejected (nack without requeue), expired (TTL) or maxlen (x-max-length).",
      exchange: "The dead-letter exchange.",
      routingKey: "The routing key it was republished with.",
      queues: "The queues the dead-letter exchange routed it to."
    }
  },
  ruleMatches: {
    detail: "(run) => Table",
    summary: "EventBridge: every event a rule's pattern matched (eventbridge.match).",
    columns: {
      event,
      time,
      bus: "The event bus.",
      rule: "The rule.",
      eventId: "The event's id.",
      targets: "How many targets the rule sends it to.",
      replay: "The replay that re-sent it, else null."
    }
  },
  targetInvocations: {
    detail: "(run) => Table",
    summary: "EventBridge: every attempt to deliver a matched event to a target, retries included (eventbridge.deliver, eventbridge.deliver.failed).",
    columns: {
      event,
      time,
      bus: "The event bus.",
      rule: "The rule.",
      target: "The target's id.",
      arn: "The target's ARN.",
      eventId: "The event's id.",
      attempt: "0 for the first attempt, n for the nth retry.",
      outcome: '"delivered" or "failed".',
      errorCode: "Why it failed, else null.",
      retryInMs: "The backoff before the next retry (null: delivered, or retries are over)."
    }
  },
  retriesExhausted: {
    detail: "(run) => Table",
    summary: "EventBridge: deliveries whose retries ran out: sent to the target's dead-letter queue (eventbridge.dlq) or dropped (eventbridge.drop).",
    columns: {
      event,
      time,
      bus: "The event bus.",
      rule: "The rule.",
      target: "The target's id.",
      eventId: "The event's id.",
      retries: "Retries made before giving up (the DLQ message's RETRY_ATTEMPTS).",
      condition: "MaximumRetryAttemptsExhausted or MaximumEventAgeExceeded.",
      queue: "The dead-letter queue (null: no DLQ, the event is lost for this target)."
    }
  }
} satisfies Record<string, TableDoc>;

export type TableName = keyof typeof tableDocs;
