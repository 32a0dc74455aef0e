// The exercises' reference solutions, once, as a reader types them into the exercise's cell: code
// ending in the value the cell returns. The unit tests evaluate them through the cells' own
// prepare() (cellValue in grading.ts) and grade them on the file's seeds; the browser tests type
// them into the editor and press Grade (test/e2e/exercises.e2e.test.ts). By data/exercises/ id.
export const SOLUTIONS = {
  // 11.1: publish the fact and answer; inventory's consumer reserves it once, whenever inventory can.
  "checkout-slow-inventory": `async function checkout(order, {producer}) {
  await producer.send({topic: "orders", key: order.id, value: order});
  return "accepted";
}
checkout`,

  // 11.2: an allow-list: name each public field, read v1 and v2, round to whole cents.
  "translator-boundary": `function toAccounting(e) {
  const {amount, currency} = e.schemaVersion === 2 ? e.money : e;
  return {
    type: "PaymentSettledForAccounting",
    settlementId: e.paymentId,
    ledgerAccount: currency === "EUR" ? "4000" : "4010",
    amountMinor: Math.round(amount * 100),
    currency
  };
}
toAccounting`,

  // 11.3: a prefetch, the ack after the work, a requeue when the work fails.
  "work-queue-acks": `async function startAgent(channel, handleTicket) {
  await channel.prefetch(5);
  await channel.consume("tickets", async (msg) => {
    if (!msg) return;
    try {
      await handleTicket(msg);
      channel.ack(msg);
    } catch {
      channel.nack(msg, false, true);
    }
  });
}
startAgent`,

  // 11.4: the dedupe mark and the charge in one transaction, keyed by the order (not the offset).
  "idempotent-billing": `function startConsumer(db) {
  return async (order) => {
    await db.transaction(async (tx) => {
      if (await tx.get("charged:" + order.orderId)) return;
      await tx.put("charged:" + order.orderId, true);
      await tx.charge(order.orderId, order.amount);
    });
  };
}
startConsumer`,

  // 11.4: the score and the input's offset in one transaction, aborted if any step fails.
  "exactly-once-scoring": `async function scorePayment(record, {producer, riskOf}) {
  producer.beginTransaction();
  try {
    await producer.send({topic: "fraud-scores", key: record.key, value: riskOf(record.value)});
    await producer.sendOffsetsToTransaction([{topic: "payments", partition: record.partition, offset: record.offset + 1}], "scorer");
    await producer.commitTransaction();
  } catch (error) {
    await producer.abortTransaction().catch(() => {});
    throw error;
  }
}
scorePayment`
} satisfies Record<string, string>;
