// The ordering lab as the claims use it: each experiment from the page's defaults, its metrics,
// the invariants its lessons rest on (over many parameters, not just the claims' ones), and bad
// input refused with a message that names the setting.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {experiments} from "../../../src/components/labs/ordering/index.js";
import {atLeastOnceText} from "../../../src/components/labs/ordering/captions.js";
import {runAtLeastOnce} from "../../../src/components/labs/ordering/runs.js";
import {measure, type Experiment, type Parameters} from "../../../src/components/claims/claim.js";

const lab = JSON.parse(readFileSync("data/scenarios/ordering-and-idempotency.json", "utf8"));
type Name = keyof typeof experiments;
const parameters = (name: Name, set: Parameters = {}): Parameters => ({...lab.experiments[name].parameters, ...set});
const metrics = async (name: Name, set: Parameters = {}) => {
  const experiment = experiments[name] as Experiment<unknown>;
  return measure(experiment, await experiment.run(parameters(name, set)));
};

describe("the lab file and the lab", () => {
  it("has one entry per experiment, each with claims", () => {
    expect(Object.keys(lab.experiments).sort()).toEqual(Object.keys(experiments).sort());
    for (const name of Object.keys(experiments)) expect(lab.experiments[name].claims.length, name).toBeGreaterThan(0);
  });

  for (const name of Object.keys(experiments) as Name[]) {
    it(`${name}: the same parameters give the same metrics`, async () => {
      const first = await metrics(name);
      expect(Object.keys(first).length).toBeGreaterThan(0);
      expect(await metrics(name)).toEqual(first);
    });
  }
});

describe("placement", () => {
  it("counts the keys and the spaced twins apart, and the step to one more partition", async () => {
    const m = await metrics("placement", {keys: "a\nb\na\norder-1042\norder-1042 ", partitions: 6});
    expect(m.distinctKeys).toBe(4);
    expect(m.spacedTwinsApart).toBe(1);
    expect(m.uniformPercent).toBe(86);
    expect(m.movedOnGrowth).toBeLessThanOrEqual(4);
  });

  it("with many keys, every step of growth moves about N / (N + 1) of them", async () => {
    const keys = Array.from({length: 2000}, (_, i) => `customer-${i}`).join("\n");
    const m = await metrics("placement", {keys});
    expect(m.meanGapFromUniform).toBeLessThanOrEqual(1);
  });

  it("refuses no keys, and a partition count past the chart's last step", async () => {
    expect(() => experiments.placement.run(parameters("placement", {keys: "\n\n"}))).toThrow(/Type at least one key/);
    expect(() => experiments.placement.run(parameters("placement", {partitions: 64}))).toThrow(/partitions must be an integer in \[1, 63\], got 64/);
  });

  it("refuses more keys than the chart draws in time, saying how many (20,000 pasted keys froze the page 2.5 s)", () => {
    const keys = (n: number) => Array.from({length: n}, (_, i) => `key-${i}`).join("\n");
    expect(() => experiments.placement.run(parameters("placement", {keys: keys(20_000)}))).toThrow("At most 2,000 distinct keys: these are 20,000. The chart draws a dot for each.");
    expect(() => experiments.placement.run(parameters("placement", {keys: `${keys(2000)}\nkey-0`}))).not.toThrow();
  });
});

describe("per-key order", () => {
  it("keyed records are never processed out of order, whatever the partitions, consumers and seed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 1, max: 6}), fc.integer({min: 1, max: 4}), fc.integer({min: 0, max: 1000}), async (partitions, consumers, seed) => {
        const m = await metrics("keyOrder", {partitions, consumers, seed, orders: 6});
        expect(m.processed).toBe(m.events);
        expect(m.splitOrders).toBe(0);
        expect(m.outOfOrder).toBe(0);
        expect(m.idleConsumers).toBe(Math.max(0, consumers - partitions));
      }),
      {numRuns: 15}
    );
  });
});

describe("keyless records", () => {
  it("sticky sends no more batches than round-robin, whatever the partitions, batch.size and seed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 1, max: 8}), fc.constantFrom(100, 400, 1600, 16384), fc.integer({min: 0, max: 1000}), async (partitions, batchSize, seed) => {
        const m = await metrics("keyless", {partitions, batchSize, seed});
        expect(m.stickyBatches).toBeLessThanOrEqual(m.roundRobinBatches as number);
        expect(m.stickyPartitionsUsed).toBeLessThanOrEqual(partitions);
      }),
      {numRuns: 15}
    );
  });
});

describe("at-least-once", () => {
  it("the offsets delivered again are exactly committed..last processed, for any crash time and commit interval", async () => {
    let redelivering = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 0, max: 80}), fc.constantFrom(100, 500, 2000, 5000), async (crash, commitIntervalMs) => {
        const m = await metrics("atLeastOnce", {crashAtMs: crash * 100, commitIntervalMs});
        expect(m.lost).toBe(0);
        expect(m.redelivered).toBe(m.uncommitted);
        if ((m.redelivered as number) > 0) {
          redelivering++;
          expect(m.firstRedelivered).toBe(m.committedOffset);
          expect(m.lastRedelivered).toBe(m.lastProcessedOffset);
        }
      }),
      {numRuns: 30}
    );
    expect(redelivering).toBeGreaterThan(0);
  });

  it("says which convention it counts in: last processed offset, and the committed offset as the next to read", async () => {
    const run = await runAtLeastOnce(parameters("atLeastOnce", {crashAtMs: 2100}) as never);
    expect(atLeastOnceText(run)).toEqual({
      text: "billing-a's last processed offset 10, committed offset 10 (the next to read): ",
      again: "offset 10 is delivered again (1 event)",
      after: ", ringed ×."
    });
    const wide = await runAtLeastOnce(parameters("atLeastOnce") as never);
    expect(atLeastOnceText(wide).again).toBe(`offsets ${wide.committedAtCrash}..${wide.positionAtCrash - 1} are delivered again (${wide.duplicates} events)`);
    const none = await runAtLeastOnce(parameters("atLeastOnce", {crashAtMs: 8000}) as never);
    expect(atLeastOnceText(none).text).toMatch(/committed offset 30 \(the next to read\): nothing is delivered again/);
  });
});

describe("the handler", () => {
  it("the upsert never leaves a duplicate effect; the insert leaves one per redelivery", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({min: 0, max: 60}), async (crash) => {
        const insert = await metrics("handler", {crashAtMs: crash * 100});
        const upsert = await metrics("handler", {crashAtMs: crash * 100, handler: "upsert"});
        expect(upsert.deliveries).toBe(insert.deliveries);
        expect(upsert.duplicateEffects).toBe(0);
        expect(insert.duplicateEffects).toBe((insert.deliveries as number) - (insert.events as number));
      }),
      {numRuns: 10}
    );
  });

  it("refuses a handler it does not know", async () => {
    await expect(experiments.handler.run(parameters("handler", {handler: "merge"}))).rejects.toThrow(/handler must be "insert" or "upsert", got "merge"/);
  });
});

describe("producer retries", () => {
  it("idempotence on never writes a duplicate nor leaves send order; off writes one copy per retry", async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({min: 0, max: 0.9, noNaN: true}), fc.integer({min: 0, max: 1000}), async (lostAcks, seed) => {
        const m = await metrics("retries", {lostAcks, seed, records: 10});
        expect(m.duplicatesOn).toBe(0);
        expect(m.outOfOrderOn).toBe(0);
        expect(m.recordsInLogOn).toBe(10);
        expect(m.duplicatesOff).toBe(m.retriesOff);
      }),
      {numRuns: 15}
    );
  });
});

describe("transactions", () => {
  it("read_committed never reads an aborted record nor misses a committed one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({min: 0, max: 1, noNaN: true}), fc.boolean(), fc.boolean(), fc.integer({min: 0, max: 60}), async (abortShare, crash, restart, at) => {
        const m = await metrics("transactions", {abortShare, crash, restart, crashAtMs: at * 100});
        expect(m.committedReadAborted).toBe(0);
        expect(m.committedMissed).toBe(0);
        expect(m.committedRead).toBeLessThanOrEqual(m.uncommittedRead as number);
      }),
      {numRuns: 20}
    );
  });

  it("builds each reader's history once, when first asked, and the page's view carries none", async () => {
    const run = await experiments.transactions.run(parameters("transactions") as never);
    expect(Object.keys(experiments.transactions.view(run))).not.toContain("readers");
    const readers = run.readers();
    expect(readers.read_committed.history.length).toBeGreaterThan(0);
    expect(run.readers()).toBe(readers);
  });
});
