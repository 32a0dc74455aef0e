import {describe, expect, it} from "vitest";
import {createEventBridge} from "../../src/components/eventbridge/bus.js";
import {connect} from "../../src/components/rabbitmq/amqplib.js";
import {createBroker} from "../../src/components/rabbitmq/broker.js";
import {createSimulation} from "../../src/components/sim/index.js";
import * as tables from "../../src/components/tables/index.js";
import {columnTypes, expectRowsMatchTrace} from "./trace-match.js";

const {op} = tables;

/** a is acked; b and c are nacked with requeue, then (redelivered) nacked without: to the dead-letter exchange. */
async function nackThenDeadLetter() {
  const sim = createSimulation({seed: 1});
  const conn = await connect("amqp://localhost", {broker: createBroker(sim)});
  const ch = await conn.createChannel();
  await ch.assertExchange("dlx", "fanout");
  await ch.assertQueue("dead");
  await ch.bindQueue("dead", "dlx", "");
  await ch.assertQueue("work", {deadLetterExchange: "dlx"});
  await ch.consume("work", (msg) => {
    if (!msg) return;
    if (msg.content.toString() === "a") ch.ack(msg);
    else ch.nack(msg, false, !msg.fields.redelivered);
  });
  for (const body of ["a", "b", "c"]) ch.sendToQueue("work", body);
  await sim.runUntilIdle();
  return sim;
}

describe("RabbitMQ tables", () => {
  it("one row per publish, delivery, ack or nack and dead-letter, with the event's fields", async () => {
    const sim = await nackThenDeadLetter();
    expect(expectRowsMatchTrace(sim, "messagesPublished", tables.messagesPublished(sim), ["rabbitmq.publish"])).toHaveLength(3);
    const delivered = expectRowsMatchTrace(sim, "messagesDelivered", tables.messagesDelivered(sim), ["rabbitmq.deliver"]);
    // Each nack settles at once, so a requeued message is redelivered before the next one goes out.
    expect(delivered.map((r) => r.redelivered)).toEqual([false, false, true, false, true]);
    const acks = expectRowsMatchTrace(sim, "consumerAcks", tables.consumerAcks(sim), ["rabbitmq.ack", "rabbitmq.nack"]);
    expect(acks.map((r) => `${r.outcome}${r.requeue ? " requeue" : ""}`)).toEqual(["ack", "nack requeue", "nack", "nack requeue", "nack"]);
    const dead = expectRowsMatchTrace(sim, "messagesDeadLettered", tables.messagesDeadLettered(sim), ["rabbitmq.deadletter"]);
    expect(dead.map((r) => [r.queue, r.reason, r.exchange, r.queues])).toEqual([["work", "rejected", "dlx", ["dead"]], ["work", "rejected", "dlx", ["dead"]]]);
    expect(columnTypes(tables.messagesDelivered(sim))).toEqual({
      event: "number", time: "number", message: "number", queue: "string", channel: "number", consumerTag: "string", deliveryTag: "number", redelivered: "boolean"
    });
  });

  it("a join answers: how many deliveries did each dead-lettered message get, and which delivery tags?", async () => {
    const sim = await nackThenDeadLetter();
    const answer = tables
      .messagesDelivered(sim)
      .semijoin(tables.messagesDeadLettered(sim), "message")
      .groupby("message")
      .rollup({deliveries: op.count(), deliveryTags: op.array_agg("deliveryTag")})
      .orderby("message")
      .objects();
    expect(answer).toEqual([
      {message: 2, deliveries: 2, deliveryTags: [2, 3]},
      {message: 3, deliveries: 2, deliveryTags: [4, 5]}
    ]);
  });
});

describe("EventBridge tables", () => {
  it("rule matches, target invocations with retries, and exhausted retries to a DLQ", async () => {
    const sim = createSimulation({seed: 1});
    const eb = createEventBridge(sim);
    let calls = 0;
    const flaky = eb.createFunction("flaky", () => {
      if (++calls <= 2) throw new Error("database down");
    });
    const broken = eb.createFunction("broken", () => {
      throw new Error("boom");
    });
    const dlq = eb.createQueue("dlq");
    eb.putRule({Name: "orders", EventPattern: {source: ["shop.orders"]}});
    eb.putTargets({
      Rule: "orders",
      Targets: [
        {Id: "flaky", Arn: flaky.arn},
        {Id: "broken", Arn: broken.arn, RetryPolicy: {MaximumRetryAttempts: 1}, DeadLetterConfig: {Arn: dlq.arn}}
      ]
    });
    eb.putEvents({Entries: [{Source: "shop.orders", DetailType: "OrderPlaced", Detail: "{}"}, {Source: "shop.billing", DetailType: "Paid", Detail: "{}"}]});
    await sim.runUntilIdle();

    const matches = expectRowsMatchTrace(sim, "ruleMatches", tables.ruleMatches(sim), ["eventbridge.match"]);
    expect(matches).toMatchObject([{rule: "orders", targets: 2, replay: null}]);
    const invocations = tables.targetInvocations(sim);
    expectRowsMatchTrace(sim, "targetInvocations", invocations, ["eventbridge.deliver", "eventbridge.deliver.failed"]);
    const perTarget = invocations
      .groupby("target")
      .rollup({attempts: op.count(), failed: (d) => op.sum(d.outcome === "failed" ? 1 : 0), lastAttempt: op.max("attempt")})
      .orderby("target")
      .objects();
    expect(perTarget).toEqual([
      {target: "broken", attempts: 2, failed: 2, lastAttempt: 1},
      {target: "flaky", attempts: 3, failed: 2, lastAttempt: 2}
    ]);
    expect(columnTypes(invocations)).toMatchObject({outcome: "string", errorCode: "null|string", retryInMs: "null|number"});
    const exhausted = expectRowsMatchTrace(sim, "retriesExhausted", tables.retriesExhausted(sim), ["eventbridge.dlq", "eventbridge.drop"]);
    expect(exhausted).toMatchObject([{target: "broken", retries: 1, condition: "MaximumRetryAttemptsExhausted", queue: "dlq"}]);
    expect(dlq.messages).toHaveLength(1);
  });
});
