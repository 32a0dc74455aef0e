import {describe, expect, it} from "vitest";
import {arrivals, CHECKOUT} from "../../src/components/exercises/checkout.js";
import {createRandom} from "../../src/components/sim/index.js";
import {cellValue, exercise, expectCaught, expectPasses} from "./grading.js";
import {SOLUTIONS} from "./solutions.js";

const checkout = exercise("checkout-slow-inventory");
const {model} = checkout;
const STARTER = checkout.file.starter;

const REFERENCE = SOLUTIONS["checkout-slow-inventory"];

// A timeout, and the event as a fallback: a slow call that times out still reserves, later.
const FALLBACK = `async function checkout(order, {inventory, producer, sleep}) {
  const answered = await Promise.race([inventory.reserve(order).then(() => true), sleep(150).then(() => false)]);
  if (!answered) await producer.send({topic: "orders", key: order.id, value: order});
  return "accepted";
}
checkout`;

// A timeout, and the order accepted anyway: a call lost while inventory is down reserves nothing.
const GIVE_UP = `async function checkout(order, {inventory, sleep}) {
  await Promise.race([inventory.reserve(order), sleep(150)]);
  return "accepted";
}
checkout`;

// A timeout that turns the customer away.
const REJECT = `async function checkout(order, {inventory, sleep}) {
  const answered = await Promise.race([inventory.reserve(order).then(() => true), sleep(200).then(() => false)]);
  return answered ? "accepted" : "rejected";
}
checkout`;

describe("11.1 exercise: a checkout that survives a slow or failing inventory", () => {
  it("passes the reference (publish, then answer) on every seed", async () => {
    await expectPasses(checkout, await cellValue(REFERENCE));
  });

  it("catches the starter: the customer waits for a slow inventory, or forever for a dead one", async () => {
    await expectCaught(checkout, await cellValue(STARTER), /^order-\d+ arrived at t = \d+\.\d\d s while inventory was (slow|down) \(t = .* to t = .*\) and was (accepted only at t = \d+\.\d\d s, \d+ ms later|never answered)/);
  });

  it("catches a timeout with the event as a fallback: the slow call reserves too", async () => {
    await expectCaught(checkout, await cellValue(FALLBACK), /^order-\d+ was reserved 2 times: t = .* \(by (inventory's consumer|a call to inventory\.reserve)\), t = .*/);
  });

  it("catches a timeout that accepts without a reservation", async () => {
    const {faults} = await expectCaught(checkout, await cellValue(GIVE_UP), /^order-\d+ arrived at .* while inventory was down .*, was accepted at t = .* and was never reserved/);
    expect(faults.some((f) => f.kind === "down")).toBe(true);
  });

  it("catches a timeout that rejects the order", async () => {
    await expectCaught(checkout, await cellValue(REJECT), /answered "rejected" at t = .*: the customer lost the order/);
  });

  it("passes the starter when nothing goes wrong (the faults are what break it)", async () => {
    const starter = model.solution(await cellValue(STARTER));
    expect(await model.run(starter, {seed: 1, faults: []})).toEqual({ok: true});
    expect(await model.run(starter, {seed: 1, faults: [{kind: "slow", at: 1000, target: "inventory"}]})).toMatchObject({ok: false});
  });

  it("stamps an answer given at once with the arrival time", async () => {
    const outcome = await model.run(model.solution(() => "accepted"), {seed: 3, faults: []});
    expect(outcome).toMatchObject({ok: false, problem: expect.stringMatching(/was accepted at t = (\d+\.\d\d) s and was never reserved/)});
    const problem = (outcome as {problem: string}).problem;
    const [, arrived, accepted] = /arrived at t = (\S+) s.*accepted at t = (\S+) s/.exec(problem)!;
    expect(accepted).toBe(arrived);
  });

  it("says what a checkout that throws threw, and a value that is not a function is refused", async () => {
    const outcome = await model.run(model.solution(() => Promise.reject(new Error("no stock service configured"))), {seed: 1, faults: []});
    expect(outcome).toMatchObject({ok: false, problem: expect.stringMatching(/^order-1 arrived at .*, and your checkout threw at .*: no stock service configured/)});
    expect(() => model.solution("accepted")).toThrow(/must end with your checkout function .* got string/);
  });

  it("says so when the event's value is not the order", async () => {
    const outcome = await model.run(model.solution(await cellValue(REFERENCE.replace("value: order", "value: {orderId: order.id}"))), {seed: 1, faults: []});
    expect(outcome).toMatchObject({ok: false, problem: expect.stringMatching(/^inventory read a record on "orders" \(offset 0\) whose value has no `id` of an order of this run \(\{"orderId":"order-1"\}\)/)});
  });

  it("stops a checkout that keeps the simulation busy without letting time pass", async () => {
    const spin = model.solution(async (_: unknown, {sleep}: {sleep: (ms: number) => Promise<void>}) => {
      for (;;) await sleep(0);
    });
    expect(await model.run(spin, {seed: 1, faults: []})).toMatchObject({ok: false, problem: expect.stringMatching(/kept the simulation busy/)});
  });

  it("draws the same faults and orders for the same seed, and a burst adds its orders at its time", () => {
    expect(model.faults(createRandom("7/faults"))).toEqual(model.faults(createRandom("7/faults")));
    const plain = arrivals(7, []);
    const burst = arrivals(7, [{kind: "burst", at: 1234, target: "inventory"}]);
    expect(plain.length).toBeGreaterThan(20);
    expect(burst.slice(0, plain.length).map((a) => a.at)).toEqual(plain.map((a) => a.at));
    expect(burst.slice(plain.length).map((a) => a.at)).toEqual(Array(CHECKOUT.burstOrders).fill(1234));
  });
});
