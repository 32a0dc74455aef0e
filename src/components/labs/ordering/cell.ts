// The editable experiment of 11.4: the reader makes a payment handler idempotent. The code runs in
// the code cell's worker (cells/worker.ts) with the Kafka model in scope; readPaymentEffects turns
// what it returns into chart rows, and says clearly when an edit changed the shape of the result.
// handler.ts's runHandler is the same run in the lab (this file stays free of the model: the page
// loads it, the lab's worker runs the model).

export const HANDLER_CELL_ID = "idempotent-handler";

export const HANDLER_CELL_CODE = `// The billing service's handler: it runs once per delivery of a PaymentCompleted event.
// At-least-once delivery means some events arrive twice. Make the handler idempotent:
// replace the INSERT below by an upsert keyed by event.eventId.
type Payment = {eventId: string; orderId: string; amount: number};
const payments: Payment[] = []; // the payments table

function handle(event: Payment) {
  payments.push(event); // INSERT: one row per delivery
}

// ---- The run: no need to edit below. ----
// params.events events, one every params.gapMs ms. Two instances of the billing service share a
// consumer group; billing-a auto-commits every params.commitIntervalMs ms and crashes at
// params.crashAtMs, between a commit and the next one; billing-b gets the partition when
// billing-a's session times out and resumes from the committed offset.
const {events, gapMs, commitIntervalMs, crashAtMs, sessionTimeoutMs} = params as Record<string, number>;
const {cluster} = new Kafka({clientId: "billing", sim});
cluster.createTopic("payments", {partitions: 1});
const producer = cluster.producer({clientId: "payment-service"});
for (let i = 0; i < events; i++) {
  const event: Payment = {eventId: \`evt-\${501 + i}\`, orderId: \`order-\${1042 + i}\`, amount: 10 * (i + 1)};
  sim.schedule(100 + gapMs * i, () => void producer.send({topic: "payments", key: event.orderId, value: event}));
}
let deliveries = 0;
const instances = ["billing-a", "billing-b"].map((clientId) => {
  const consumer = cluster.consumer({groupId: "billing", clientId, autoOffsetReset: "earliest", autoCommitIntervalMs: commitIntervalMs, sessionTimeoutMs});
  consumer.subscribe("payments");
  consumer.run({eachMessage: (record) => { deliveries++; handle(record.value as Payment); }});
  return consumer;
});
sim.schedule(crashAtMs, () => instances[0].crash());
await sim.advance(100 + gapMs * events + crashAtMs + sessionTimeoutMs + 2 * commitIntervalMs);

console.log(\`\${deliveries} deliveries of \${events} events; \${payments.length} rows in payments\`);
({deliveries, events, payments})`;

export type HandlerKind = "insert" | "upsert";

export interface HandlerParameters {
  seed: number | string;
  /** The handler the lab runs: the cell's as written (insert), or the upsert keyed by event id. */
  handler: HandlerKind;
  events: number;
  gapMs: number;
  commitIntervalMs: number;
  crashAtMs: number;
  sessionTimeoutMs: number;
}

/** The parameters the cell's code reads as `params` (everything but the lab's choice of handler). */
export function cellParameters({handler: _, ...parameters}: HandlerParameters): Omit<HandlerParameters, "handler"> {
  return parameters;
}

export interface PaymentEffectRow {
  eventId: string;
  /** Rows the handler left in `payments` for this event. */
  rows: number;
  /** Sum of the amounts of those rows: money charged. */
  charged: number;
}

export interface PaymentEffects {
  deliveries: number;
  events: number;
  rows: PaymentEffectRow[];
  /** Rows beyond the first per event id: the effects of duplicate deliveries. */
  duplicateEffects: number;
  /** Money charged beyond each event's own amount. */
  overcharged: number;
}

export class PaymentResultError extends TypeError {
  override name = "PaymentResultError";
}

/** Validates what the cell returned ({deliveries, events, payments}) and counts the duplicate effects. */
export function readPaymentEffects(value: unknown): PaymentEffects {
  const shape = "the cell must end with ({deliveries, events, payments}), where payments is an array of {eventId, orderId, amount}";
  if (typeof value !== "object" || value === null) throw new PaymentResultError(`${shape}; it returned ${value === undefined ? "nothing" : JSON.stringify(value)}`);
  const {deliveries, events, payments} = value as {deliveries?: unknown; events?: unknown; payments?: unknown};
  if (!Array.isArray(payments)) throw new PaymentResultError(`${shape}; payments is ${payments === undefined ? "missing" : typeof payments} (keep payments an array: upsert into it)`);
  const byId = new Map<string, PaymentEffectRow>();
  for (const [i, p] of payments.entries()) {
    const eventId = (p as {eventId?: unknown})?.eventId;
    if (typeof eventId !== "string") throw new PaymentResultError(`${shape}; payments[${i}] has no string eventId`);
    const amount = Number((p as {amount?: unknown}).amount) || 0;
    const row = byId.get(eventId);
    if (row) {
      row.rows++;
      row.charged += amount;
    } else byId.set(eventId, {eventId, rows: 1, charged: amount});
  }
  const rows = [...byId.values()].sort((a, b) => a.eventId.localeCompare(b.eventId));
  const duplicateEffects = rows.reduce((n, r) => n + r.rows - 1, 0);
  const overcharged = rows.reduce((n, r) => n + (r.rows > 1 ? r.charged - r.charged / r.rows : 0), 0);
  return {deliveries: typeof deliveries === "number" ? deliveries : NaN, events: typeof events === "number" ? events : rows.length, rows, duplicateEffects, overcharged};
}

/** The effects of the cell's last run: null until it ran cleanly, the error if its result has the wrong shape. */
export function cellEffects(result: {status: string; value?: unknown}): PaymentEffects | PaymentResultError | null {
  if (result.status !== "ok") return null;
  try {
    return readPaymentEffects(result.value);
  } catch (error) {
    if (error instanceof PaymentResultError) return error;
    throw error;
  }
}
