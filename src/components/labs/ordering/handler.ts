// The handler cell's run (cell.ts) in the lab, with the handler as written (insert) or the upsert
// the page asks for: the claims check it, and test/labs/ordering/cell.test.ts checks that the cell agrees.
import {createCluster} from "../../kafka/cluster.js";
import {checkInteger, checkMs, KafkaConfigError} from "../../kafka/errors.js";
import {createSimulation} from "../../sim/index.js";
import {readPaymentEffects, type HandlerKind, type HandlerParameters, type PaymentEffects} from "./cell.js";

type Payment = {eventId: string; orderId: string; amount: number};

const handlers: Record<HandlerKind, (payments: Payment[], event: Payment) => void> = {
  insert: (payments, event) => void payments.push(event),
  upsert: (payments, event) => {
    const i = payments.findIndex((p) => p.eventId === event.eventId);
    if (i === -1) payments.push(event);
    else payments[i] = event;
  }
};

/** The cell's run, in the lab: the same cluster, schedule and crash, with one of the two handlers. */
export async function runHandler({seed, handler, events, gapMs, commitIntervalMs, crashAtMs, sessionTimeoutMs}: HandlerParameters): Promise<PaymentEffects> {
  if (!(handler in handlers)) throw new KafkaConfigError(`handler must be "insert" or "upsert", got ${JSON.stringify(handler)}`);
  checkInteger("events", events, 1, 200);
  checkMs("gapMs", gapMs, 1);
  checkMs("commitIntervalMs (auto.commit.interval.ms)", commitIntervalMs, 1);
  checkMs("crashAtMs", crashAtMs);
  checkMs("sessionTimeoutMs (session.timeout.ms)", sessionTimeoutMs, 1);
  const sim = createSimulation({seed});
  // new Kafka({sim}) in the cell builds this cluster: three brokers.
  const cluster = createCluster(sim, {brokers: 3});
  cluster.createTopic("payments", {partitions: 1});
  const producer = cluster.producer({clientId: "payment-service"});
  for (let i = 0; i < events; i++) {
    const event: Payment = {eventId: `evt-${501 + i}`, orderId: `order-${1042 + i}`, amount: 10 * (i + 1)};
    sim.schedule(100 + gapMs * i, () => void producer.send({topic: "payments", key: event.orderId, value: event}));
  }
  const payments: Payment[] = [];
  let deliveries = 0;
  const instances = ["billing-a", "billing-b"].map((clientId) => {
    const consumer = cluster.consumer({groupId: "billing", clientId, autoOffsetReset: "earliest", autoCommitIntervalMs: commitIntervalMs, sessionTimeoutMs});
    consumer.subscribe("payments");
    consumer.run({eachMessage: (record) => { deliveries++; handlers[handler](payments, record.value as Payment); }});
    return consumer;
  });
  sim.schedule(crashAtMs, () => instances[0].crash());
  await sim.advance(100 + gapMs * events + crashAtMs + sessionTimeoutMs + 2 * commitIntervalMs);
  return readPaymentEffects({deliveries, events, payments});
}
