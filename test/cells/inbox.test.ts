// The page's message handler for a run (inbox.ts): whatever arrives on the channel, it never
// throws, believes a result only after "ready", once, and keeps its caps. Issue 16 defects 2, 3, 6.
import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {createInbox, limitValue, limits, sizeAtMost, type Received} from "../../src/components/cells/inbox.js";

const line = fc.record({level: fc.constantFrom("log", "info", "warn", "error", "debug", "evil"), text: fc.oneof(fc.string(), fc.integer())});
/** Messages shaped like the runner's, often slightly wrong, and anything at all. */
const message = fc.oneof(
  fc.constant({type: "ready"}),
  fc.constant({type: "started"}),
  fc.record({type: fc.constant("logs"), lines: fc.oneof(fc.array(line, {maxLength: 80}), fc.anything())}),
  fc.record(
    {
      type: fc.constant("done"),
      value: fc.anything(),
      error: fc.oneof(fc.constant(null), fc.record({kind: fc.constantFrom("runtime", "syntax", "timeout"), name: fc.anything(), message: fc.anything(), location: fc.oneof(fc.constant(null), fc.record({line: fc.anything(), column: fc.anything()}))}), fc.anything()),
      cut: fc.oneof(fc.array(fc.string()), fc.anything()),
      durationMs: fc.anything()
    },
    {requiredKeys: ["type"]}
  ),
  fc.anything()
);

describe("the page's inbox", () => {
  it("never throws, believes one result at most and only after ready, and keeps its caps, whatever arrives", () => {
    fc.assert(
      fc.property(fc.array(message, {maxLength: 40}), (messages) => {
        const inbox = createInbox();
        const answers: Received[] = [];
        for (const m of messages) answers.push(inbox.receive(m));
        const firstReady = answers.findIndex((a) => a.kind === "ready");
        const ends = answers.filter((a) => a.kind === "done" || a.kind === "invalid");
        // After the first "done" or "invalid", everything is refused.
        const end = answers.findIndex((a) => a.kind === "done" || a.kind === "invalid");
        if (end >= 0) expect(answers.slice(end + 1).every((a) => a.kind === "invalid")).toBe(true);
        expect(answers.filter((a) => a.kind === "done").length).toBeLessThanOrEqual(1);
        expect(answers.filter((a) => a.kind === "ready").length).toBeLessThanOrEqual(1);
        if (firstReady < 0) expect(answers.every((a) => a.kind === "invalid")).toBe(true);
        for (const answer of answers) {
          if (answer.kind === "logs") expect(answer.added.every((l) => ["log", "info", "warn", "error", "debug"].includes(l.level) && typeof l.text === "string")).toBe(true);
          if (answer.kind === "done" && answer.error) {
            expect(typeof answer.error.message).toBe("string");
            expect(answer.error.location === null || (Number.isSafeInteger(answer.error.location.line) && answer.error.location.line >= 1)).toBe(true);
          }
        }
        expect(inbox.logs().length).toBeLessThanOrEqual(limits.logLines);
        expect(inbox.logs().reduce((n, l) => n + l.text.length, 0)).toBeLessThanOrEqual(limits.logChars + limits.logLines);
        expect(ends.length).toBeLessThanOrEqual(messages.length);
      }),
      {numRuns: 2000}
    );
  });

  it("refuses a second ready (the old timer reset), logs before ready, and a result's forged error location", () => {
    const inbox = createInbox();
    expect(inbox.receive({type: "logs", lines: []}).kind).toBe("invalid");
    const again = createInbox();
    expect(again.receive({type: "ready"}).kind).toBe("ready");
    expect(again.receive({type: "ready"})).toEqual({kind: "invalid", reason: '"ready" is not a message this page expects now'});
    const forged = createInbox();
    forged.receive({type: "ready"});
    expect(forged.receive({type: "done", value: 1, error: {kind: "runtime", name: "E", message: "m", location: {line: "x", column: 1}}}).kind).toBe("invalid");
    const shape = createInbox();
    shape.receive({type: "ready"});
    expect(shape.receive({type: "logs", lines: 5})).toEqual({kind: "invalid", reason: "its console lines are not a list"});
  });

  it("caps a flood of lines in one pass and counts what it dropped", () => {
    const inbox = createInbox();
    inbox.receive({type: "ready"});
    for (let i = 0; i < 6000; i++) inbox.receive({type: "logs", lines: [{level: "log", text: "x"}]});
    expect(inbox.logs().length).toBe(1000);
    expect(inbox.dropped()).toBe(5000);
    const done = inbox.receive({type: "done", value: 1, error: null, cut: []});
    expect(done).toMatchObject({kind: "done", cut: ["showing 1,000 of 6,000 console lines"]});
  });
});

describe("limitValue", () => {
  it("says how many rows or keys it kept", () => {
    const rows = Array.from({length: 25_000}, (_, i) => ({i}));
    const limited = limitValue(rows);
    expect((limited.value as unknown[]).length).toBe(10_000);
    expect(limited.cut).toEqual(["showing 10,000 of 25,000 rows"]);
    expect(limitValue(Object.fromEntries(rows.map(({i}) => [`k${i}`, i]))).cut).toEqual(["showing 10,000 of 25,000 keys"]);
    expect(limitValue([1, 2])).toEqual({value: [1, 2], cut: []});
  });

  it("does not draw a value past its size, and measures any depth and cycles without recursion", () => {
    expect(limitValue(["y".repeat(3_000_000)])).toEqual({value: undefined, cut: ["the result is larger than 2 million characters of data: it is not shown (return fewer or smaller rows)"]});
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(sizeAtMost(deep, 1e9)).toBeGreaterThan(100_000);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(sizeAtMost(cyclic, 1000)).toBeLessThan(1000);
  });
});
