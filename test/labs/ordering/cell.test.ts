// The editable handler cell: its original code shows duplicate effects, the upsert the page asks
// the reader to write removes them, and a result of the wrong shape is refused with a clear message.
import {describe, expect, it} from "vitest";
import {EXPERIMENT_FILE, prepare} from "../../../src/components/cells/prepare.js";
import {scope} from "../../../src/components/cells/scope.js";
import {HANDLER_CELL_CODE, HANDLER_CELL_PARAMETERS, PaymentResultError, readPaymentEffects} from "../../../src/components/labs/ordering/cell.js";
import {createSimulation} from "../../../src/components/sim/index.js";

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
    const effects = readPaymentEffects(await runCell(HANDLER_CELL_CODE, {seed: 1, crashAtMs: 9000}));
    expect(effects.duplicateEffects).toBe(0);
  });

  it("refuses results of the wrong shape with a message that says what to return", () => {
    expect(() => readPaymentEffects(undefined)).toThrow(PaymentResultError);
    expect(() => readPaymentEffects(undefined)).toThrow(/returned nothing/);
    expect(() => readPaymentEffects({payments: new Map()})).toThrow(/keep payments an array/);
    expect(() => readPaymentEffects({payments: [{id: 1}]})).toThrow(/payments\[0\] has no string eventId/);
  });
});
