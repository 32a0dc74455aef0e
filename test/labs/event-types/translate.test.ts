// The translator at the Orders → Logistics boundary (11.2), as the page's experiment runs it.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {toShippingEvent, translate as runTranslate, TranslationError, type OrderPlaced, type Translation} from "../../../src/components/labs/event-types/translate.js";
import {translate} from "../../../src/components/labs/event-types/index.js";
import {measure} from "../../../src/components/claims/claim.js";

const lab = JSON.parse(readFileSync("data/scenarios/event-types.json", "utf8"));
const defaults = lab.experiments.translate.parameters as {seed: number; event: OrderPlaced; maxParcelKg: number};
const event = () => structuredClone(defaults.event);

describe("the translator", () => {
  it("maps the example order to parcels and an address, and leaves prices, coupon and customer behind", () => {
    const t = runTranslate(defaults);
    expect(t.refusal).toBeNull();
    expect(t.published).toMatchObject({type: "OrderConfirmedForShipping", shipmentRef: defaults.event.orderId, shipTo: defaults.event.shippingAddress});
    expect(t.left.sort()).toEqual(["couponCode", "customerId", "lines[].sku", "lines[].unitPrice"]);
    const m = measure(translate, t);
    expect(m).toMatchObject({published: 1, items: 3, leftBehind: 4, leakedFields: 0});
  });

  it("the same input gives the same event (no randomness, no clock)", () => {
    expect(runTranslate(defaults)).toEqual(runTranslate(defaults));
  });

  it("packs every item, in parcels no heavier than the limit unless one item is heavier by itself", () => {
    const line = fc.record({sku: fc.constant("X"), qty: fc.integer({min: 1, max: 6}), unitPrice: fc.constant(1), weightKg: fc.double({min: 0.1, max: 15, noNaN: true})});
    fc.assert(fc.property(fc.array(line, {minLength: 1, maxLength: 5}), fc.integer({min: 1, max: 30}), (lines, maxParcelKg) => {
      const {parcels} = toShippingEvent({...event(), lines}, {maxParcelKg});
      expect(parcels.reduce((s, p) => s + p.items, 0)).toBe(lines.reduce((s, l) => s + l.qty, 0));
      for (const p of parcels) if (p.weightKg > maxParcelKg) expect(p.items).toBe(1);
      const total = lines.reduce((s, l) => s + l.qty * l.weightKg, 0);
      expect(parcels.reduce((s, p) => s + p.weightKg, 0)).toBeCloseTo(total, 1);
    }));
  });

  it("refuses an event that breaks the contract, naming the field, and publishes nothing", () => {
    const e = event() as Partial<OrderPlaced>;
    delete (e.shippingAddress as Partial<OrderPlaced["shippingAddress"]>).city;
    const t = runTranslate({...defaults, event: e});
    expect(t.published).toBeNull();
    expect(t.refusal).toBeInstanceOf(TranslationError);
    expect(t.refusal!.message).toBe("shippingAddress.city must be a string");
    expect(measure(translate, t).published).toBe(0);
  });

  it("takes the event as JSON text too, and says when the text is not JSON", () => {
    expect(runTranslate({...defaults, event: JSON.stringify(defaults.event)}).published).toEqual(runTranslate(defaults).published);
    expect(runTranslate({...defaults, event: "{not json"}).refusal?.message).toMatch(/^not valid JSON: /);
  });

  it("refuses an order too big to pack, or a weight JSON reads as Infinity, instead of packing forever", () => {
    const lines = (qty: number, weightKg = 1) => [{sku: "PX-200", qty, unitPrice: 1, weightKg}];
    // qty 1e15 ran the packing loop on the page's thread until the tab was killed.
    const start = performance.now();
    expect(runTranslate({...defaults, event: {...event(), lines: lines(1e15)}}).refusal?.message).toBe("the order has 1,000,000,000,000,000 items; the translator packs at most 10,000");
    expect(runTranslate({...defaults, event: {...event(), lines: [...lines(6000), ...lines(6000)]}}).refusal?.message).toBe("the order has 12,000 items; the translator packs at most 10,000");
    expect(performance.now() - start).toBeLessThan(100);
    expect(runTranslate({...defaults, event: {...event(), lines: lines(10_000, 20)}}).refusal).toBeNull();
    expect(runTranslate({...defaults, event: JSON.stringify({...event(), lines: lines(1)}).replace('"weightKg":1', '"weightKg":1e309')}).refusal?.message).toBe("lines[0].weightKg must be a positive number");
  });

  it("refuses an item too heavy for parcels instead of publishing a weight of null", () => {
    const lines = (weightKg: number) => [{sku: "PX-200", qty: 1, unitPrice: 1, weightKg}];
    // 1e306 kg was finite, but rounding it to grams overflowed: the parcel weighed Infinity, null in JSON.
    expect(runTranslate({...defaults, event: {...event(), lines: lines(1e306)}}).refusal?.message).toBe("lines[0].weightKg is 1e+306 kg; the translator packs items of at most 10,000 kg");
    expect(runTranslate({...defaults, event: {...event(), lines: [...lines(1), ...lines(10_000.5)]}}).refusal?.message).toBe("lines[1].weightKg is 10000.5 kg; the translator packs items of at most 10,000 kg");
    // The heaviest item ships alone, its weight as given.
    expect(runTranslate({...defaults, event: {...event(), lines: lines(10_000)}}).published?.parcels).toEqual([{items: 1, weightKg: 10_000}]);
  });

  it("a bad parcel limit is an error of the experiment, not a refusal", () => {
    expect(() => runTranslate({...defaults, maxParcelKg: 0})).toThrow(/maxParcelKg must be a number in \(0, 1000\]/);
  });

  it("leakedFields counts a field left behind that turns up in the integration event", () => {
    const t = runTranslate({...defaults, event: {...event(), loyaltyTier: "gold"}});
    expect(measure(translate, t)).toMatchObject({leftBehind: 5, leakedFields: 0});
    const leaky: Translation = {...t, published: {...t.published!, loyaltyTier: "gold", customerId: "c-77"} as never};
    expect(measure(translate, leaky).leakedFields).toBe(2);
  });
});
