// Translation at a bounded-context boundary (11.2): the Orders context's OrderPlaced domain
// event becomes Logistics' OrderConfirmedForShipping integration event. The translator owns
// the mapping, so neither context's language leaks into the other: prices and coupons stay in
// Orders, and the parcel limit, a Logistics rule, never reaches Orders.

export interface OrderLine {
  sku: string;
  qty: number;
  unitPrice: number;
  weightKg: number;
}

export interface OrderPlaced {
  type: "OrderPlaced";
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  couponCode?: string;
  shippingAddress: {street: string; postcode: string; city: string; country: string};
}

export interface OrderConfirmedForShipping {
  type: "OrderConfirmedForShipping";
  shipmentRef: string;
  parcels: {items: number; weightKg: number}[];
  shipTo: {street: string; postcode: string; city: string; country: string};
}

/** The integration contract refused the event: it is not published. */
export class TranslationError extends Error {
  override name = "TranslationError";
}

/** The domain event's fields the translator maps; everything else stays in Orders. */
export const contractFields = ["type", "orderId", "lines", "shippingAddress"];

/** The most items an order may hold: the translator packs them one by one, on the page's thread. */
export const MAX_ITEMS = 10_000;

/** The heaviest item the translator takes, ten times the largest parcel limit: it also keeps rounding to grams finite (1e306 kg × 1000 is Infinity). */
export const MAX_ITEM_KG = 10_000;

/** Packs items into parcels of at most maxParcelKg, in order; an item heavier than that ships alone. */
export function toShippingEvent(event: unknown, {maxParcelKg}: {maxParcelKg: number}): OrderConfirmedForShipping {
  const e = event as Partial<OrderPlaced>;
  if (e === null || typeof e !== "object" || Array.isArray(e)) throw new TranslationError("the event must be a JSON object");
  if (e.type !== "OrderPlaced") throw new TranslationError(`type must be "OrderPlaced", got ${JSON.stringify(e.type)}`);
  if (typeof e.orderId !== "string" || !e.orderId) throw new TranslationError("orderId must be a non-empty string");
  if (!Array.isArray(e.lines) || e.lines.length === 0) throw new TranslationError("lines must be a non-empty array");
  e.lines.forEach((line, i) => {
    if (!(Number.isInteger(line?.qty) && line.qty > 0)) throw new TranslationError(`lines[${i}].qty must be a positive integer`);
    if (!(Number.isFinite(line.weightKg) && line.weightKg > 0)) throw new TranslationError(`lines[${i}].weightKg must be a positive number`);
    if (line.weightKg > MAX_ITEM_KG) throw new TranslationError(`lines[${i}].weightKg is ${line.weightKg} kg; the translator packs items of at most ${MAX_ITEM_KG.toLocaleString("en-US")} kg`);
  });
  const items = e.lines.reduce((n, line) => n + line.qty, 0);
  if (items > MAX_ITEMS) throw new TranslationError(`the order has ${items.toLocaleString("en-US")} items; the translator packs at most ${MAX_ITEMS.toLocaleString("en-US")}`);
  const a = e.shippingAddress;
  for (const field of ["street", "postcode", "city", "country"] as const) {
    if (typeof a?.[field] !== "string") throw new TranslationError(`shippingAddress.${field} must be a string`);
  }
  const parcels: {items: number; weightKg: number}[] = [];
  for (const line of e.lines) {
    for (let i = 0; i < line.qty; i++) {
      const open = parcels.at(-1);
      if (open && open.weightKg + line.weightKg <= maxParcelKg) {
        open.items++;
        open.weightKg = round(open.weightKg + line.weightKg);
      } else {
        parcels.push({items: 1, weightKg: round(line.weightKg)});
      }
    }
  }
  return {type: "OrderConfirmedForShipping", shipmentRef: e.orderId, parcels, shipTo: {street: a!.street, postcode: a!.postcode, city: a!.city, country: a!.country}};
}

/** Dotted paths of the domain event that the integration event does not carry on. */
export function fieldsLeftBehind(event: object): string[] {
  const left = Object.keys(event).filter((k) => !contractFields.includes(k));
  const lines = (event as Partial<OrderPlaced>).lines;
  if (Array.isArray(lines) && lines.length) left.push("lines[].sku", "lines[].unitPrice");
  return left;
}

/** Every key anywhere in a JSON value. */
export function keysOf(value: unknown): Set<string> {
  const keys = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") for (const [k, child] of Object.entries(v)) keys.add(k), walk(child);
  };
  walk(value);
  return keys;
}

export interface TranslateParameters {
  seed: number | string;
  /** The OrderPlaced domain event, or its JSON text as the reader typed it. */
  event: unknown;
  /** Logistics' packing rule: the heaviest a parcel may be. */
  maxParcelKg: number;
}

export interface Translation {
  parameters: TranslateParameters;
  /** The integration event, unless the contract refused the domain event. */
  published: OrderConfirmedForShipping | null;
  refusal: TranslationError | null;
  /** Fields of the domain event left in Orders (empty when refused). */
  left: string[];
}

/** The translator as an experiment: a refusal is a result (nothing is published), not a crash. */
export function translate(p: TranslateParameters): Translation {
  if (!(typeof p.maxParcelKg === "number" && p.maxParcelKg > 0 && p.maxParcelKg <= 1000)) throw new RangeError(`maxParcelKg must be a number in (0, 1000], got ${JSON.stringify(p.maxParcelKg)}`);
  let event = p.event;
  try {
    if (typeof event === "string") {
      try {
        event = JSON.parse(event);
      } catch (error) {
        throw new TranslationError(`not valid JSON: ${(error as Error).message}`);
      }
    }
    return {parameters: p, published: toShippingEvent(event, p), refusal: null, left: fieldsLeftBehind(event as object)};
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
    return {parameters: p, published: null, refusal: error, left: []};
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
