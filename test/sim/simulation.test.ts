import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {advanceUntil, advanceUntilSettled, createRandom, createSimulation, SimulationLimitError, TraceLimitError} from "../../src/components/sim/index.js";

describe("createRandom", () => {
  it("is a pure function of its seed", () => {
    const a = createRandom(42), b = createRandom(42), c = createRandom(43);
    const xs = Array.from({length: 100}, () => a.next());
    expect(Array.from({length: 100}, () => b.next())).toEqual(xs);
    expect(Array.from({length: 100}, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("pins the first values, so Node and browsers can be compared", () => {
    const r = createRandom("workbook");
    expect(Array.from({length: 3}, () => r.int(1000))).toMatchInlineSnapshot(`
      [
        162,
        33,
        798,
      ]
    `);
  });
});

describe("createSimulation", () => {
  it("runs tasks in (time, scheduling order)", async () => {
    const sim = createSimulation();
    const seen: string[] = [];
    sim.schedule(10, () => void seen.push("b"));
    sim.schedule(5, () => void seen.push("a"));
    sim.schedule(10, () => void seen.push("c"));
    sim.schedule(0, () => void seen.push("now"));
    await sim.runUntilIdle();
    expect(seen).toEqual(["now", "a", "b", "c"]);
    expect(sim.now).toBe(10);
  });

  it("keeps ties stable under any schedule", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({min: 0, max: 20}), {maxLength: 200}), async (delays) => {
        const sim = createSimulation();
        const seen: number[] = [];
        delays.forEach((d, i) => sim.schedule(d, () => void seen.push(i)));
        await sim.runUntilIdle();
        const expected = delays.map((d, i) => [d, i]).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map(([, i]) => i);
        expect(seen).toEqual(expected);
      }),
      {numRuns: 200}
    );
  });

  it("advance() runs what is due and moves the clock", async () => {
    const sim = createSimulation();
    const seen: number[] = [];
    sim.schedule(100, () => void seen.push(sim.now));
    sim.schedule(300, () => void seen.push(sim.now));
    await sim.advance(200);
    expect(seen).toEqual([100]);
    expect(sim.now).toBe(200);
    await sim.advance(100);
    expect(seen).toEqual([100, 300]);
  });

  it("awaits async tasks before the next one", async () => {
    const sim = createSimulation();
    const seen: string[] = [];
    sim.schedule(1, async () => {
      await Promise.resolve();
      seen.push("first");
    });
    sim.schedule(1, () => void seen.push("second"));
    await sim.runUntilIdle();
    expect(seen).toEqual(["first", "second"]);
  });

  it("background timers do not keep a run alive, and can be cancelled", async () => {
    const sim = createSimulation();
    let ticks = 0;
    const timer = sim.every(100, () => void ticks++);
    sim.schedule(350, () => {});
    await sim.runUntilIdle();
    expect(ticks).toBe(3);
    sim.cancel(timer);
    await sim.advance(1000);
    expect(ticks).toBe(3);
  });

  it("stops a run that never becomes idle with a clear error", async () => {
    const sim = createSimulation({maxSteps: 1000});
    const loop = () => void sim.schedule(1, loop);
    loop();
    await expect(sim.runUntilIdle()).rejects.toThrow(SimulationLimitError);
    expect(() => createSimulation().advance(-1)).toThrow(/>= 0/);
  });

  it("limits the trace with an error that names the setting", () => {
    const sim = createSimulation({traceLimit: 2});
    sim.record("test.tick", {});
    sim.record("test.tick", {});
    expect(() => sim.record("test.tick", {})).toThrow(TraceLimitError);
    expect(() => sim.record("test.tick", {})).toThrow(/traceLimit/);
  });

  it("replays: the same seed and scenario give the same trace", async () => {
    const run = async (seed: number) => {
      const sim = createSimulation({seed});
      for (let i = 0; i < 50; i++) {
        sim.schedule(sim.random.exponential(10), () => void sim.record("test.arrival", {n: sim.random.int(6)}));
      }
      await sim.runUntilIdle();
      return sim.trace.events;
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });
});

describe("advanceUntil / advanceUntilSettled", () => {
  it("steps the clock until the condition holds, or gives up with what it waited for", async () => {
    const sim = createSimulation();
    let fired = false;
    sim.schedule(35, () => void (fired = true));
    await advanceUntil(sim, () => fired);
    expect(sim.now).toBe(40);
    await expect(advanceUntil(sim, () => false, {limitMs: 100, what: "nothing"})).rejects.toThrow("gave up waiting for nothing after 0.1 s of simulated time");
  });

  it("returns what a promise answers once virtual time lets it settle, and passes on its error", async () => {
    const sim = createSimulation();
    const answer = new Promise<number>((resolve) => sim.schedule(25, () => resolve(7)));
    expect(await advanceUntilSettled(sim, answer)).toBe(7);
    const refusal = new Promise((_, reject) => sim.schedule(5, () => reject(new Error("refused"))));
    await expect(advanceUntilSettled(sim, refusal)).rejects.toThrow("refused");
  });
});
