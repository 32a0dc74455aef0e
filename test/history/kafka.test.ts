// A Kafka run's trace as a history: the checker names what the model did (a producer retry's
// second append, a crashed consumer's uncommitted records, a transaction's records read before
// its end), and a run with none of those gets no verdict.
import {describe, expect, it} from "vitest";
import {checkHistory} from "../../src/components/history/check.js";
import {tally} from "../../src/components/history/tally.js";
import {kafkaHistory} from "../../src/components/history/kafka.js";
import {runAtLeastOnce, runProducerRetries, runTransactions} from "../../src/components/labs/ordering/runs.js";
import {readFileSync} from "node:fs";

const defaults = JSON.parse(readFileSync("data/scenarios/ordering-and-idempotency.json", "utf8")).experiments;

describe("kafkaHistory", () => {
  it("names each copy a retry appended without idempotence a producer retry, and finds none with it", async () => {
    const {sides} = await runProducerRetries({...defaults.retries.parameters, lostAcks: 0.3, records: 30});
    const [off, on] = sides.map((s) => tally(s.verdict));
    expect(off.duplicates).toBeGreaterThan(0);
    expect(off.causes).toEqual({"producer-retry": off.duplicates});
    expect(on).toMatchObject({valid: true, duplicates: 0, lost: 0});
    // Every record was acknowledged (idempotence on) and delivered once.
    expect(sides[1].history.filter((op) => op.type === "produce" && op.phase === "ok")).toHaveLength(30);
  });

  it("names the crash as the cause of every redelivery after a consumer dies before its commit", async () => {
    const run = await runAtLeastOnce({...defaults.atLeastOnce.parameters});
    const t = tally(run.verdict);
    expect(t.duplicates).toBeGreaterThan(0);
    expect(t.causes).toEqual({crash: t.duplicates});
    expect(t.lost).toBe(0);
  });

  it("keeps each reader apart, and finds read_uncommitted's reads of unfinished transactions only", async () => {
    const run = await runTransactions({...defaults.transactions.parameters});
    expect(run.readers().read_committed.verdict.uncommittedReads).toEqual([]);
    expect(run.readers().read_uncommitted.verdict.uncommittedReads.length).toBeGreaterThan(0);
    for (const level of ["read_committed", "read_uncommitted"] as const) expect(run.readers()[level].verdict.duplicated).toEqual([]);
    // Both readers in one history: every record either read twice would be a duplicate.
    const both = checkHistory(kafkaHistory(run.trace));
    expect(both.duplicated.length).toBeGreaterThan(0);
  });

  it("is empty for an empty trace", () => {
    expect(kafkaHistory([])).toEqual([]);
    expect(checkHistory([]).valid).toBe(true);
  });
});
