// Translation at a bounded-context boundary (11.2): the Orders context's OrderPlaced domain
// event becomes Logistics' OrderConfirmedForShipping integration event. The translator owns
// the mapping, so neither context's language leaks into the other.

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

export class TranslationError extends Error {
  override name = "TranslationError";
}

/** Items per parcel: Logistics packs by weight, which Orders knows nothing about. */
const maxParcelKg = 10;

export function toShippingEvent(event: unknown): OrderConfirmedForShipping {
  const e = event as Partial<OrderPlaced>;
  if (e === null || typeof e !== "object") throw new TranslationError("the event must be a JSON object");
  if (e.type !== "OrderPlaced") throw new TranslationError(`type must be "OrderPlaced", got ${JSON.stringify(e.type)}`);
  if (typeof e.orderId !== "string" || !e.orderId) throw new TranslationError("orderId must be a non-empty string");
  if (!Array.isArray(e.lines) || e.lines.length === 0) throw new TranslationError("lines must be a non-empty array");
  e.lines.forEach((line, i) => {
    if (!(Number.isInteger(line?.qty) && line.qty > 0)) throw new TranslationError(`lines[${i}].qty must be a positive integer`);
    if (!(typeof line.weightKg === "number" && line.weightKg > 0)) throw new TranslationError(`lines[${i}].weightKg must be a positive number`);
  });
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
  const kept = new Set(["type", "orderId", "lines", "shippingAddress"]);
  const left = Object.keys(event).filter((k) => !kept.has(k));
  const lines = (event as Partial<OrderPlaced>).lines;
  if (Array.isArray(lines) && lines.length) left.push("lines[].sku", "lines[].unitPrice");
  return left;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export const exampleOrderPlaced: OrderPlaced = {
  type: "OrderPlaced",
  orderId: "order-1042",
  customerId: "c-77",
  couponCode: "WINTER10",
  lines: [
    {sku: "PX-200", qty: 2, unitPrice: 49.5, weightKg: 4.2},
    {sku: "CB-12", qty: 1, unitPrice: 30.5, weightKg: 2.1}
  ],
  shippingAddress: {street: "Keizersgracht 1", postcode: "1015 CJ", city: "Amsterdam", country: "NL"}
};
