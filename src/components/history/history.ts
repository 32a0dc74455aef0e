// A run's history, in the spirit of Jepsen's and Knossos's histories
// (https://github.com/jepsen-io/knossos, "histories" of invoke/ok/fail/info operations): what each
// client asked for and what it saw, in the order it happened. The same shape comes from the
// simulation and from a real broker (the workloads in labs/real-brokers record it through
// amqplib's and kafkajs's APIs), so one checker gives both the same verdicts.
//
// A message is named by `message` ("order-3#7"): its key and its place in the key's order (`seq`).

/** Virtual ms on the simulation, ms since the run started on a real broker. */
type At = {time: number};

/**
 * A produce or publish: "invoke" when the client sends it, then "ok" (acknowledged: a confirm,
 * a produce response), "fail" (definitely not written) or "info" (unknown: the answer never came).
 * `transaction` names the transaction a transactional producer wrote it in.
 */
export type ProduceOp = At & {type: "produce"; phase: "invoke" | "ok" | "fail" | "info"; producer: string; message: string; key: string; seq: number; transaction?: string};

/** A copy written to a log (Kafka): a producer retry can write a second copy at a new offset. */
export type AppendOp = At & {type: "append"; producer: string; message: string; key: string; seq: number; partition: number; offset: number; attempt: number};

/**
 * A message handed to a consumer's code: with the broker's redelivered flag and delivery tag
 * (RabbitMQ), or the partition and offset it was read from (Kafka).
 */
export type DeliverOp = At & {
  type: "deliver";
  consumer: string;
  message: string;
  key: string;
  seq: number;
  redelivered: boolean;
  deliveryTag?: number;
  partition?: number;
  offset?: number;
};

/** basic.ack of a delivery tag (RabbitMQ). */
export type AckOp = At & {type: "ack"; consumer: string; message: string; deliveryTag: number};

/** An offset commit: the next offset the consumer's group will read in the partition. */
export type CommitOp = At & {type: "commit"; consumer: string; partition: number; offset: number};

/** A client died without a clean shutdown (nothing acked or committed after this). */
export type CrashOp = At & {type: "crash"; process: string};

/** The consumer's group handed out its partitions again (the consumer's assignment changed). */
export type RebalanceOp = At & {type: "rebalance"; consumer: string; generation?: number};

/** A transaction ended: its commit or abort markers were written. */
export type TransactionOp = At & {type: "transaction"; transaction: string; outcome: "commit" | "abort"};

export type Operation = ProduceOp | AppendOp | DeliverOp | AckOp | CommitOp | CrashOp | RebalanceOp | TransactionOp;
export type History = Operation[];

/** The name of the `seq`-th message of `key`. */
export const messageId = (key: string, seq: number): string => `${key}#${seq}`;

/** Records a history as a run goes, each operation stamped by `clock`. */
export class HistoryRecorder {
  readonly operations: History = [];
  readonly #clock: () => number;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /** Adds one operation (distributing over the union keeps each member's own fields). */
  record<O extends Operation>(op: O extends Operation ? Omit<O, "time"> : never): void {
    this.operations.push({...op, time: this.#clock()} as Operation);
  }
}

/** Milliseconds of real time since the call, for a run on a real broker. */
export function wallClock(): () => number {
  const start = Date.now();
  return () => Date.now() - start;
}
