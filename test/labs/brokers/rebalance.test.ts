// 11.3's rebalance runs: the page's runs (no trace, producer acks=0) against the comparison's
// (traced, acks=all), which must measure the same thing: acks only decide what the producer waits
// for, and the members' rebalance listeners tell what their trace events record.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {ownership, PROTOCOLS, protocolTrace, runProtocol, type RebalanceOptions} from "../../../src/components/labs/brokers/rebalance.js";

const lab = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8"));
const defaults: RebalanceOptions = lab.experiments.rebalance.parameters;

// The sliders' ends and a busier, smaller group: joins before, between and after heartbeats.
const sets: Partial<RebalanceOptions>[] = [{}, {joinAtMs: 1000}, {joinAtMs: 15000, heartbeatIntervalMs: 500}, {consumerHeartbeatIntervalMs: 10000, seed: 7}, {members: 2, partitions: 5, ratePerSecond: 350, maxPollRecords: 5}];

describe("a protocol's run", () => {
  it.each(sets)("is the same with or without the trace and the producer's acknowledgements (%o)", async (set) => {
    const o = {...defaults, ...set};
    for (const protocol of PROTOCOLS) {
      const traced = await protocolTrace(protocol, o);
      expect(traced.events.some((e) => e.kind === "kafka.ack")).toBe(true);
      expect(traced.run.processed).toBeGreaterThan(0);
      expect(await runProtocol(protocol, o)).toEqual(traced.run);

      // The members' listeners and their trace events tell the same story of who owned what.
      const replay = ownership(o.joinAtMs);
      const partitionsOf = (listed: string[]) => listed.map((tp) => Number(tp.slice(tp.lastIndexOf("-") + 1)));
      for (const e of traced.events) {
        const member = traced.names.get(String((e as {member?: string}).member))!;
        if (e.kind === "kafka.consumer.assign") replay.assign(member, partitionsOf(e.partitions), e.time);
        if (e.kind === "kafka.consumer.revoke") replay.revoke(member, partitionsOf(e.partitions), e.time);
      }
      const {gaps, moved, membersStopped, groupStopMs, lastChange} = replay.result();
      expect({gaps, moved, membersStopped, groupStopMs, convergeMs: lastChange - o.joinAtMs}).toEqual({gaps: traced.run.gaps, moved: traced.run.moved, membersStopped: traced.run.membersStopped, groupStopMs: traced.run.groupStopMs, convergeMs: traced.run.convergeMs});
    }
  });

  it("finds partitions without an owner after the join under every protocol", async () => {
    for (const protocol of PROTOCOLS) expect((await runProtocol(protocol, defaults)).gaps.length).toBeGreaterThan(0);
  });
});
