// 11.2's exercise, "write the translator so that no internal field crosses the boundary": the
// reader writes the function that turns Payments' PaymentCaptured domain event into the
// PaymentSettledForAccounting integration event Finance consumes (the page's "Write the
// translator" cell). The grader feeds it a seed's stream of PaymentCaptured events and varies them
// as Payments' model evolves: a new internal field, a new field inside a nested object, and schema
// v2, which moves amount and currency into `money`. The property: every output carries exactly the
// contract's public fields with the values Finance needs, and nothing else.
import {seconds} from "../history/index.js";
import {createRandom, type Random} from "../sim/index.js";
import type {Attempt, ExerciseModel, Fault, Outcome} from "./exercise.js";

/** Payments' domain event. v1 has `amount` and `currency`; v2 moved them into `money`. Either may carry fields added later. */
export type PaymentCaptured = {
  type: "PaymentCaptured";
  schemaVersion: 1 | 2;
  paymentId: string;
  orderId: string;
  customerId: string;
  card: {last4: string; network: string};
  capturedAt: string;
} & ({amount: number; currency: string} | {money: {amount: number; currency: string}});

/** Finance's integration event: these fields, and no other. */
export interface PaymentSettledForAccounting {
  type: "PaymentSettledForAccounting";
  /** The payment's paymentId. */
  settlementId: string;
  /** "4000" for EUR, "4010" for every other currency. */
  ledgerAccount: string;
  /** The amount in minor units (cents): an integer. */
  amountMinor: number;
  currency: string;
}

export type Translator = (event: PaymentCaptured) => unknown;

/** The public fields, in the contract's order (the allow-list the property checks). */
export const PUBLIC_FIELDS = ["type", "settlementId", "ledgerAccount", "amountMinor", "currency"] as const;

export const TRANSLATOR = {events: 12, gapMs: 250} as const;

/** How Payments' event may change under the translator: a new internal field, a new nested one, schema v2. */
export const TRANSLATOR_FAULTS = ["new-field", "nested-field", "schema-v2"] as const;

export interface TranslatorParameters {
  /** Fault kinds to draw from (TRANSLATOR_FAULTS). */
  faultKinds: string[];
}

export const translatorDefaults: TranslatorParameters = {faultKinds: [...TRANSLATOR_FAULTS]};

export function translatorExercise(overrides: Partial<TranslatorParameters> = {}): ExerciseModel<Translator> {
  const {faultKinds} = {...translatorDefaults, ...overrides};
  return {
    solution(value) {
      if (typeof value !== "function") {
        throw new TypeError(`the cell must end with your translator function (the last line is its name, e.g. \`toAccounting\`), got ${value === null ? "null" : typeof value}`);
      }
      return value as Translator;
    },
    faults(random) {
      return Array.from({length: 1 + random.int(4)}, () => {
        const i = 1 + random.int(TRANSLATOR.events);
        return {kind: random.pick(faultKinds), at: publishedAt(i), target: `pay-${i}`};
      });
    },
    run: runTranslator
  };
}

const publishedAt = (i: number) => i * TRANSLATOR.gapMs;

export function runTranslator(translate: Translator, {seed, faults}: Attempt): Outcome {
  for (let i = 1; i <= TRANSLATOR.events; i++) {
    const mine = faults.filter((f) => f.target === `pay-${i}`);
    const event = paymentCaptured(seed, i, mine);
    const problem = checkTranslation(translate, event);
    if (problem) {
      const at = publishedAt(i);
      const variation = mine.length ? ` (${mine.map(describeFault).join(", ")})` : "";
      return {ok: false, problem: `${event.paymentId}, published at ${seconds(at)}${variation}: ${problem}`, moments: [{at, text: `Payments publishes ${JSON.stringify(event)}`}]};
    }
  }
  return {ok: true};
}

/** Event `i` of a seed, with the variations aimed at it; each event has its own stream, so dropping one variation leaves the others as they were. */
export function paymentCaptured(seed: number, i: number, faults: readonly Fault[]): PaymentCaptured {
  const random = createRandom(`${seed}/pay-${i}`);
  const amount = (1 + random.int(99_999)) / 100;
  const currency = random.pick(["EUR", "EUR", "USD", "GBP"]);
  const event: Record<string, unknown> = {
    type: "PaymentCaptured",
    schemaVersion: 1,
    paymentId: `pay-${i}`,
    orderId: `order-${1000 + random.int(9000)}`,
    customerId: `c-${random.int(1000)}`,
    amount,
    currency,
    card: {last4: String(1000 + random.int(9000)), network: random.pick(["visa", "mastercard", "amex"])},
    capturedAt: new Date(Date.UTC(2025, 0, 6, 9) + publishedAt(i)).toISOString()
  };
  // Schema v2 first, so that a nested field may land in its `money`.
  for (const fault of [...faults].sort((a, b) => Number(b.kind === "schema-v2") - Number(a.kind === "schema-v2"))) vary(event, fault.kind, random);
  return event as PaymentCaptured;
}

/** Internal fields Payments may add, with a value drawn for one event. */
const NEW_FIELDS: Record<string, (r: Random) => unknown> = {
  riskScore: (r) => r.int(100) / 100,
  acquirerRef: (r) => `acq-${r.int(1_000_000)}`,
  merchantId: (r) => `m-${r.int(100)}`,
  internalNote: (r) => r.pick(["manual review", "retry after 3DS", "VIP customer"]),
  retryCount: (r) => r.int(4)
};

const NESTED_FIELDS: Record<string, (r: Random) => unknown> = {
  fingerprint: (r) => `fp-${r.int(1_000_000).toString(16)}`,
  holderName: (r) => r.pick(["A. Jansen", "M. Rossi", "K. Tanaka"]),
  bin: (r) => String(400000 + r.int(99999))
};

function vary(event: Record<string, unknown>, kind: string, random: Random): void {
  if (kind === "schema-v2") {
    if (event.schemaVersion === 2) return;
    const {amount, currency} = event;
    delete event.amount, delete event.currency;
    Object.assign(event, {schemaVersion: 2, money: {amount, currency}});
  } else if (kind === "new-field") {
    const name = random.pick(Object.keys(NEW_FIELDS));
    event[name] = NEW_FIELDS[name](random);
  } else if (kind === "nested-field") {
    const inMoney = event.money !== undefined && random.chance(0.5);
    if (inMoney) (event.money as Record<string, unknown>).fxRate = 1 + random.int(5000) / 10_000;
    else if (random.chance(0.5)) event.risk = {score: random.int(100) / 100, rules: [random.pick(["velocity", "geo-mismatch", "new-device"])]};
    else {
      const name = random.pick(Object.keys(NESTED_FIELDS));
      (event.card as Record<string, unknown>)[name] = NESTED_FIELDS[name](random);
    }
  }
}

function describeFault(fault: Fault): string {
  return {"new-field": "Payments added an internal field", "nested-field": "Payments added a field inside a nested object", "schema-v2": "PaymentCaptured v2: amount and currency moved into money"}[fault.kind] ?? fault.kind;
}

/** What Finance must receive for `event`. */
export function expectedSettlement(event: PaymentCaptured): PaymentSettledForAccounting {
  const {amount, currency} = "money" in event ? event.money : event;
  return {type: "PaymentSettledForAccounting", settlementId: event.paymentId, ledgerAccount: currency === "EUR" ? "4000" : "4010", amountMinor: Math.round(amount * 100), currency};
}

/** What is wrong with the translation of one event, in Finance's terms, or null. */
export function checkTranslation(translate: Translator, event: PaymentCaptured): string | null {
  let output: unknown;
  try {
    // A copy: a translator that deletes fields from its input must not change what is checked against.
    output = translate(structuredClone(event));
  } catch (error) {
    return `the translator threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (output === null || typeof output !== "object" || Array.isArray(output)) return `the translator returned ${output === null ? "null" : Array.isArray(output) ? "an array" : typeof output}, not a PaymentSettledForAccounting object`;
  const out = output as Record<string, unknown>;
  const allowed = `only ${PUBLIC_FIELDS.join(", ")} may cross`;
  for (const [key, value] of Object.entries(out)) {
    if (!(PUBLIC_FIELDS as readonly string[]).includes(key)) {
      const internal = key in event ? `\`${key}\`, an internal field of PaymentCaptured,` : `\`${key}\`${originOf(value, event)}, which is not in the contract,`;
      return `${internal} crossed the boundary into PaymentSettledForAccounting (${allowed})`;
    }
    if (value !== null && typeof value === "object") {
      return `\`${key}\` crossed as an object (${JSON.stringify(value)}): the contract's fields are strings and numbers, and an object copied across carries every field Payments adds to it`;
    }
  }
  const expected = expectedSettlement(event);
  for (const key of PUBLIC_FIELDS) {
    if (!(key in out)) return `\`${key}\` is missing from PaymentSettledForAccounting: Finance needs ${JSON.stringify(expected[key])}`;
    if (!Object.is(out[key], expected[key])) return `\`${key}\` is ${show(out[key])}, Finance needs ${JSON.stringify(expected[key])}${key === "amountMinor" && typeof out[key] === "number" ? ` (${expected.amountMinor / 100} ${expected.currency} in integer cents)` : ""}`;
  }
  return null;
}

/** A value as the reader would write it: NaN and undefined stay themselves (JSON would say null). */
const show = (value: unknown) => (typeof value === "number" || value === undefined ? String(value) : JSON.stringify(value));

/** " (holding PaymentCaptured's customerId)" when a string value was copied from the event. */
function originOf(value: unknown, event: PaymentCaptured): string {
  if (typeof value !== "string") return "";
  const path = findString(event, value, "");
  return path ? ` (holding PaymentCaptured's ${path})` : "";
}

function findString(node: unknown, value: string, path: string): string | null {
  if (node === value) return path;
  if (node === null || typeof node !== "object") return null;
  for (const [key, child] of Object.entries(node)) {
    const found = findString(child, value, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}
