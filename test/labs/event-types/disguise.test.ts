// The disguised-command experiment (11.2): one seed, one run; what each metric means, checked
// against the registrations themselves; and the coupling the page teaches, in each mailer state.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {designs, runDisguisedCommand, type DisguiseParameters, type DisguiseRun} from "../../../src/components/labs/event-types/disguise.js";
import {intervals, latency} from "../../../src/components/labs/event-types/charts.js";
import {disguise} from "../../../src/components/labs/event-types/index.js";
import {measure} from "../../../src/components/claims/claim.js";

const lab = JSON.parse(readFileSync("data/scenarios/event-types.json", "utf8"));
const defaults: DisguiseParameters = lab.experiments.disguise.parameters;
const run = (set: Partial<DisguiseParameters> = {}) => runDisguisedCommand({...defaults, ...set});
const of = (r: DisguiseRun, i: 0 | 1) => r.registrations.filter((x) => x.design === designs[i]);
const metrics = async (set: Partial<DisguiseParameters> = {}) => measure(disguise, await run(set));

describe("the disguised-command experiment", () => {
  it("is deterministic for a seed, and another seed gives other users", async () => {
    const a = await run({mailer: "slow"}), b = await run({mailer: "slow"});
    expect(a.registrations.length).toBeGreaterThan(100);
    expect(a).toEqual(b);
    const c = await run({mailer: "slow", seed: Number(defaults.seed) + 1});
    expect(c.registrations.map((r) => r.start)).not.toEqual(a.registrations.map((r) => r.start));
  });

  it("both designs face the same users", async () => {
    const r = await run();
    expect(of(r, 0).length).toBeGreaterThan(0);
    expect(of(r, 0).map((x) => x.start)).toEqual(of(r, 1).map((x) => x.start));
  });

  it("a disguised registration completes exactly when the reply comes within the timeout, and fails at the timeout otherwise", async () => {
    for (const mailer of ["running", "slow", "renamed"] as const) {
      for (const r of of(await run({mailer}), 1)) {
        if (r.completed) expect(latency(r)).toBeLessThanOrEqual(defaults.replyTimeoutMs);
        else expect(latency(r)).toBeCloseTo(defaults.replyTimeoutMs, 6);
        // The reply needs the email first, then a publish back through the broker.
        if (r.completed) expect(r.end).toBeGreaterThanOrEqual(r.emailAt! + defaults.publishMs);
      }
    }
  });

  it("the honest design never waits for the mailer, whatever the mailer does", async () => {
    for (const mailer of ["running", "slow", "renamed", "removed"] as const) {
      const honest = of(await run({mailer}), 0);
      expect(honest.every((r) => r.completed && Math.abs(latency(r) - defaults.publishMs) < 1e-6)).toBe(true);
    }
  });

  it("a slow mailer falls further behind: the honest design's welcome emails all go out, later and later", async () => {
    const r = of(await run({mailer: "slow"}), 0);
    expect(r.every((x) => x.emailAt !== null)).toBe(true);
    // More arrivals than the slow pool can serve: the email delay grows over the run.
    const delays = r.map((x) => x.emailAt! - x.start);
    const third = Math.floor(r.length / 3);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(delays.slice(-third))).toBeGreaterThan(3 * mean(delays.slice(0, third)));
  });

  it("mailer-v3 still sends welcome emails for the event but answers no request for mailer-v2; a removed mailer sends none", async () => {
    const renamed = await metrics({mailer: "renamed"});
    expect(renamed.emailsSent).toBe(renamed.registrations);
    expect(renamed.disguisedCompleted).toBe(0);
    expect(renamed.disguisedMedianMs).toBe(Math.round(defaults.replyTimeoutMs));
    const removed = await metrics({mailer: "removed"});
    expect(removed.emailsSent).toBe(0);
    expect(removed.honestCompleted).toBe(removed.registrations);
  });

  it("the metrics say what the registrations say", async () => {
    const r = await run({mailer: "slow", replyTimeoutMs: 10_000});
    const m = measure(disguise, r);
    const d = of(r, 1);
    expect(m.registrations).toBe(d.length);
    expect(Number(m.disguisedCompleted) + Number(m.disguisedFailed)).toBe(d.length);
    expect(m.disguisedFailed).toBe(d.filter((x) => !x.completed).length);
    // failingFromS is the first interval in which most disguised registrations failed, and none before it.
    const rows = intervals(r).filter((i) => i.design === designs[1]);
    const at = rows.findIndex((i) => i.second === m.failingFromS);
    expect(at).toBeGreaterThan(0);
    expect(rows[at].failed).toBeGreaterThan(rows[at].completed);
    expect(rows.slice(0, at).every((i) => i.failed <= i.completed)).toBe(true);
    expect(m.medianBeforeFailingMs).toBe(rows[at - 1].medianMs);
    // Latency first, then failures: the wait grows before the timeout starts to bite.
    expect(m.medianBeforeFailingMs).toBeGreaterThan(m.firstIntervalMedianMs as number);
  });

  it("the intervals count every registration once", async () => {
    const r = await run({mailer: "slow"});
    const rows = intervals(r);
    expect(rows.reduce((s, i) => s + i.completed + i.failed, 0)).toBe(r.registrations.length);
    expect(rows.filter((i) => i.design === designs[0]).length).toBe(Math.ceil(defaults.durationMs / defaults.intervalMs));
  });

  it("a longer timeout only delays the failures while the mailer falls behind", async () => {
    await fc.assert(fc.asyncProperty(fc.integer({min: 1, max: 9}), async (k) => {
      const short = await metrics({mailer: "slow", replyTimeoutMs: k * 1000});
      const long = await metrics({mailer: "slow", replyTimeoutMs: (k + 1) * 1000});
      expect(long.failingFromS).toBeGreaterThanOrEqual(short.failingFromS as number);
      expect(long.disguisedFailed).toBeLessThanOrEqual(short.disguisedFailed as number);
      expect(long.disguisedFailed).toBeGreaterThan(0);
    }), {numRuns: 9});
  });

  it.each([
    [{mailer: "asleep"}, /mailer must be one of running, slow, renamed, removed/],
    [{registrationsPerSecond: 0}, /registrationsPerSecond must be a number in \(0, 200\]/],
    [{mailerWorkers: 1.5}, /mailerWorkers must be an integer from 1 to 100/],
    [{replyTimeoutMs: -1, intervalMs: 0}, /replyTimeoutMs must be[\s\S]*intervalMs must be/]
  ])("refuses bad parameters %#", async (set, message) => {
    await expect(run(set as Partial<DisguiseParameters>)).rejects.toThrow(message);
  });
});
