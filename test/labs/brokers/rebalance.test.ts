// 11.3's rebalance runs: the page's runs (producer acks=0) against the comparison's (acks=all),
// which must measure the same thing, since acks only decides what the producer waits for.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {PROTOCOLS, protocolTrace, runProtocol, type RebalanceOptions} from "../../../src/components/labs/brokers/rebalance.js";

const lab = JSON.parse(readFileSync("data/scenarios/brokers.json", "utf8"));
const defaults: RebalanceOptions = lab.experiments.rebalance.parameters;

describe("a protocol's run", () => {
  // The sliders' ends and a busier, smaller group: joins before, between and after heartbeats.
  const sets: Partial<RebalanceOptions>[] = [{}, {joinAtMs: 1000}, {joinAtMs: 15000, heartbeatIntervalMs: 500}, {consumerHeartbeatIntervalMs: 10000, seed: 7}, {members: 2, partitions: 5, ratePerSecond: 350, maxPollRecords: 5}];

  it.each(sets)("is the same whether the producer waits for acknowledgements or not (%o)", async (set) => {
    const o = {...defaults, ...set};
    for (const protocol of PROTOCOLS) {
      const traced = await protocolTrace(protocol, o);
      expect(traced.events.some((e) => e.kind === "kafka.ack")).toBe(true);
      expect(traced.run.processed).toBeGreaterThan(0);
      expect(await runProtocol(protocol, o)).toEqual(traced.run);
    }
  });
});
