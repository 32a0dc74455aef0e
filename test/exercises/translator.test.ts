import {describe, expect, it} from "vitest";
import {checkTranslation, expectedSettlement, paymentCaptured, PUBLIC_FIELDS} from "../../src/components/exercises/translator.js";
import {createRandom} from "../../src/components/sim/index.js";
import {cellValue, exercise, expectCaught, expectPasses} from "./grading.js";
import {SOLUTIONS} from "./solutions.js";

const translator = exercise("translator-boundary");
const {model} = translator;

const REFERENCE = SOLUTIONS["translator-boundary"];

// A deny-list: right for today's event, and every field Payments adds tomorrow crosses.
const DENY_LIST = `function toAccounting(e) {
  const {type, schemaVersion, paymentId, orderId, customerId, card, capturedAt, amount, ...rest} = e;
  return {...rest, type: "PaymentSettledForAccounting", settlementId: paymentId, ledgerAccount: e.currency === "EUR" ? "4000" : "4010", amountMinor: Math.round(amount * 100)};
}
toAccounting`;

// Cents by multiplication alone: 0.29 * 100 is 28.999999999999996.
const FLOAT_CENTS = REFERENCE.replace("Math.round(amount * 100)", "amount * 100");

// Written against v1 only: v2 moved amount and currency into money.
const V1_ONLY = `function toAccounting(e) {
  return {type: "PaymentSettledForAccounting", settlementId: e.paymentId, ledgerAccount: e.currency === "EUR" ? "4000" : "4010", amountMinor: Math.round(e.amount * 100), currency: e.currency};
}
toAccounting`;

// v2 handled by copying money across: its fields, and any added to it, cross as an object.
const COPIES_MONEY = `function toAccounting(e) {
  const money = e.money ?? {amount: e.amount, currency: e.currency};
  return {type: "PaymentSettledForAccounting", settlementId: e.paymentId, ledgerAccount: money.currency === "EUR" ? "4000" : "4010", amountMinor: Math.round(money.amount * 100), currency: e.money ?? e.currency};
}
toAccounting`;

describe("11.2 exercise: a translator that lets no internal field cross the boundary", () => {
  it("passes the reference (an allow-list) on every seed", async () => {
    await expectPasses(translator, await cellValue(REFERENCE));
  });

  it("catches the starter's spread, naming the event and the field that crossed", async () => {
    await expectCaught(translator, await cellValue(translator.file.starter), /^pay-1, published at t = 0\.25 s: `schemaVersion`, an internal field of PaymentCaptured, crossed the boundary into PaymentSettledForAccounting \(only type, settlementId, ledgerAccount, amountMinor, currency may cross\)/);
  });

  it("catches a deny-list when Payments adds a field", async () => {
    const {faults} = await expectCaught(translator, await cellValue(DENY_LIST), /^pay-\d+, published at t = \d+\.\d\d s \(.*Payments added an internal field.*\): `(riskScore|acquirerRef|merchantId|internalNote|retryCount)`, an internal field of PaymentCaptured, crossed/);
    expect(faults.some((f) => f.kind === "new-field")).toBe(true);
  });

  it("catches cents computed without rounding", async () => {
    await expectCaught(translator, await cellValue(FLOAT_CENTS), /`amountMinor` is \d+\.\d+, Finance needs \d+ \(\d+(\.\d+)? (EUR|USD|GBP) in integer cents\)/);
  });

  it("catches a translator that knows only v1 (a EUR payment booked to 4010, or no amount)", async () => {
    await expectCaught(translator, await cellValue(V1_ONLY), /\(.*PaymentCaptured v2: amount and currency moved into money.*\): (`ledgerAccount` is "4010", Finance needs "4000"|`amountMinor` is NaN, Finance needs \d+)/);
  });

  it("catches a nested object copied across", async () => {
    await expectCaught(translator, await cellValue(COPIES_MONEY), /`currency` crossed as an object \(\{"amount":.*\}\): the contract's fields are strings and numbers/);
  });

  it("varies only the event a fault names, and the same seed gives the same events", () => {
    const plain = paymentCaptured(5, 3, []);
    expect(paymentCaptured(5, 3, [])).toEqual(plain);
    const v2 = paymentCaptured(5, 3, [{kind: "schema-v2", at: 750, target: "pay-3"}, {kind: "nested-field", at: 750, target: "pay-3"}]);
    expect(v2).toMatchObject({schemaVersion: 2, money: {amount: (plain as {amount: number}).amount, currency: (plain as {currency: string}).currency}});
    expect(v2).not.toHaveProperty("amount");
    expect(expectedSettlement(v2)).toEqual(expectedSettlement(plain));
    expect(Object.keys(expectedSettlement(plain))).toEqual([...PUBLIC_FIELDS]);
    const faults = model.faults(createRandom("9/faults"));
    expect(faults.length).toBeGreaterThan(0);
    for (const f of faults) expect(f.at).toBe(Number(f.target!.slice("pay-".length)) * 250);
  });

  it("says where a copied value came from, and what a translator that throws or returns nothing did", () => {
    const event = paymentCaptured(1, 1, []);
    const withCustomer = (e: typeof event) => ({...expectedSettlement(e), customer: e.customerId});
    expect(checkTranslation(withCustomer, event)).toMatch(/^`customer` \(holding PaymentCaptured's customerId\), which is not in the contract, crossed/);
    expect(checkTranslation(() => {
      throw new Error("no ledger for XAU");
    }, event)).toBe("the translator threw: no ledger for XAU");
    expect(checkTranslation(() => undefined, event)).toMatch(/returned undefined, not a PaymentSettledForAccounting object/);
    expect(checkTranslation((e) => {
      delete (e as Partial<typeof e>).customerId; // a translator that edits its input changes nothing the check sees
      return expectedSettlement(event);
    }, event)).toBeNull();
    expect(() => model.solution({})).toThrow(/must end with your translator function .* got object/);
  });
});
