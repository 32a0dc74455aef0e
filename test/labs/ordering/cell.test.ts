// The editable handler cell: its original code shows duplicate effects, the upsert the page asks
// the reader to write removes them, the lab's run of the same scenario agrees with the cell, and a
// result of the wrong shape is refused with a clear message.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {EXPERIMENT_FILE, prepare} from "../../../src/components/cells/prepare.js";
import {scope} from "../../../src/components/cells/scope.js";
import {cellEffects, cellParameters, HANDLER_CELL_CODE, PaymentResultError, readPaymentEffects, type HandlerParameters} from "../../../src/components/labs/ordering/cell.js";
import {runHandler} from "../../../src/components/labs/ordering/handler.js";
import {createSimulation} from "../../../src/components/sim/index.js";

const defaults: HandlerParameters = JSON.parse(readFileSync("data/scenarios/ordering-and-idempotency.json", "utf8")).experiments.handler.parameters;
const HANDLER_CELL_PARAMETERS = cellParameters(defaults);

const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

/** Runs cell code as the worker does: scope names, then sim and params. */
async function runCell(code: string, parameters: Record<string, unknown> = HANDLER_CELL_PARAMETERS) {
  const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  const fn = new AsyncFunction(...names, "sim", "params", `${prepare(code)}\n//# sourceURL=${EXPERIMENT_FILE}`);
  const silent = console.log;
  console.log = () => {};
  try {
    return await fn(...names.map((n) => scope[n]), createSimulation({seed: parameters.seed as number}), parameters);
  } finally {
    console.log = silent;
  }
}

const UPSERT = `const i = payments.findIndex((p) => p.eventId === event.eventId);
  if (i === -1) payments.push(event);
  else payments[i] = event;`;

describe("the idempotent-handler cell", () => {
  it("as written, inserts a second payment for every redelivered event", async () => {
    const effects = readPaymentEffects(await runCell(HANDLER_CELL_CODE));
    expect(effects.events).toBe(12);
    expect(effects.rows).toHaveLength(12);
    expect(effects.duplicateEffects).toBeGreaterThan(0);
    expect(effects.deliveries).toBe(12 + effects.duplicateEffects);
    expect(effects.overcharged).toBeGreaterThan(0);
  });

  it("with an upsert keyed by event id, the same deliveries leave one row per event", async () => {
    const code = HANDLER_CELL_CODE.replace("payments.push(event); // INSERT: one row per delivery", UPSERT);
    expect(code).not.toBe(HANDLER_CELL_CODE);
    const effects = readPaymentEffects(await runCell(code));
    expect(effects.deliveries).toBeGreaterThan(12);
    expect(effects.duplicateEffects).toBe(0);
    expect(effects.rows.every((r) => r.rows === 1)).toBe(true);
  });

  it("a crash after everything was committed redelivers nothing", async () => {
    const effects = readPaymentEffects(await runCell(HANDLER_CELL_CODE, {...HANDLER_CELL_PARAMETERS, crashAtMs: 9000}));
    expect(effects.duplicateEffects).toBe(0);
  });

  it("the lab's runHandler is the cell's run: same deliveries and effects for both handlers and several crash times", async () => {
    const upsert = HANDLER_CELL_CODE.replace("payments.push(event); // INSERT: one row per delivery", UPSERT);
    let duplicated = 0;
    for (const crashAtMs of [0, 1300, 2600, 4100, 9000]) {
      for (const [handler, code] of [["insert", HANDLER_CELL_CODE], ["upsert", upsert]] as const) {
        const parameters = {...defaults, crashAtMs, handler};
        const cell = readPaymentEffects(await runCell(code, cellParameters(parameters)));
        expect(await runHandler(parameters), `${handler}, crash at ${crashAtMs} ms`).toEqual(cell);
        if (handler === "insert") duplicated += cell.duplicateEffects;
      }
    }
    expect(duplicated, "some crash time must redeliver, or the comparison proves little").toBeGreaterThan(0);
  });

  it("cellEffects: nothing before a clean run, the shape error after a bad one", () => {
    expect(cellEffects({status: "error"})).toBeNull();
    expect(cellEffects({status: "ok", value: {payments: "none"}})).toBeInstanceOf(PaymentResultError);
    expect(cellEffects({status: "ok", value: {deliveries: 1, events: 1, payments: [{eventId: "e", amount: 5}]}})).toMatchObject({deliveries: 1, duplicateEffects: 0});
  });

  it("refuses results of the wrong shape with a message that says what to return", () => {
    expect(() => readPaymentEffects(undefined)).toThrow(PaymentResultError);
    expect(() => readPaymentEffects(undefined)).toThrow(/returned nothing/);
    expect(() => readPaymentEffects({payments: new Map()})).toThrow(/keep payments an array/);
    expect(() => readPaymentEffects({payments: [{id: 1}]})).toThrow(/payments\[0\] has no string eventId/);
  });
});
