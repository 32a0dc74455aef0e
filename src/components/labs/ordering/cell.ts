// The editable experiment of 11.4: the reader makes a payment handler idempotent. The code runs in
// the code cell's worker (cells/worker.ts) with the Kafka model in scope; readPaymentEffects turns
// what it returns into chart rows, and says clearly when an edit changed the shape of the result.
import * as Plot from "@observablehq/plot";

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
// 12 events, one every 250 ms. Two instances of the billing service share a consumer group;
// billing-a auto-commits every 2 s and crashes at 2.6 s, between a commit and the next one;
// billing-b gets the partition when billing-a's session times out and resumes from the commit.
const {cluster} = new Kafka({clientId: "billing", sim});
cluster.createTopic("payments", {partitions: 1});
const producer = cluster.producer({clientId: "payment-service"});
for (let i = 0; i < 12; i++) {
  const event: Payment = {eventId: \`evt-\${501 + i}\`, orderId: \`order-\${1042 + i}\`, amount: 10 * (i + 1)};
  sim.schedule(100 + 250 * i, () => void producer.send({topic: "payments", key: event.orderId, value: event}));
}
let deliveries = 0;
const instances = ["billing-a", "billing-b"].map((clientId) => {
  const consumer = cluster.consumer({groupId: "billing", clientId, autoOffsetReset: "earliest", autoCommitIntervalMs: 2000, sessionTimeoutMs: 10_000});
  consumer.subscribe("payments");
  consumer.run({eachMessage: (record) => { deliveries++; handle(record.value as Payment); }});
  return consumer;
});
sim.schedule(params.crashAtMs, () => instances[0].crash());
await sim.advance(20_000);

console.log(\`\${deliveries} deliveries of 12 events; \${payments.length} rows in payments\`);
({deliveries, events: 12, payments})`;

export const HANDLER_CELL_PARAMETERS = {seed: 1, crashAtMs: 2600};

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
  const shape = "the cell must end with ({deliveries, events: 12, payments}), where payments is an array of {eventId, orderId, amount}";
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

/** Rows in the payments table per event: one is right, two is a customer charged twice. */
export function paymentEffectsPlot(effects: PaymentEffects, {width = 640}: {width?: number} = {}) {
  return Plot.plot({
    width,
    height: 240,
    marginBottom: 60,
    x: {domain: effects.rows.map((r) => r.eventId), label: null, tickRotate: -40},
    y: {label: "↑ rows in payments", domain: [0, Math.max(2, ...effects.rows.map((r) => r.rows))], ticks: Array.from({length: Math.max(2, ...effects.rows.map((r) => r.rows)) + 1}, (_, i) => i), tickFormat: "d", grid: true},
    marks: [
      Plot.barY(effects.rows, {
        x: "eventId", y: "rows", fill: (r: PaymentEffectRow) => (r.rows > 1 ? "var(--workbook-bad)" : "var(--workbook-good)"),
        title: (r: PaymentEffectRow) => `${r.eventId}: ${r.rows} row${r.rows === 1 ? "" : "s"}, charged ${r.charged}`
      }),
      Plot.ruleY([1], {stroke: "var(--theme-foreground-muted)", strokeDasharray: "4 3"}),
      Plot.ruleY([0])
    ]
  });
}
