// 11.3's counterfactuals: the same seed run twice with one setting changed, aligned by compareRuns
// (history/compare.ts): the work queue at another prefetch, and a joining member under the eager
// classic protocol against the consumer protocol (KIP-848). index.ts imports this module lazily,
// so the page loads compareRuns only when the reader comes to a comparison.
import {compareRuns} from "../../history/compare.js";
import {kafkaHistory} from "../../history/kafka.js";
import type {Comparison} from "../../history/measures.js";
import {runWorkQueueExperiment, type WorkQueueParameters} from "./work-queue-experiment.js";
import {checkRebalanceOptions, protocolTrace, type Protocol, type RebalanceOptions} from "./rebalance.js";

export interface PrefetchComparisonParameters extends WorkQueueParameters {
  /** The prefetch the page's one is compared with. */
  otherPrefetch: number;
}

/** The work queue at otherPrefetch against the page's prefetch: same tickets, same crash. */
export async function runPrefetchComparison(p: PrefetchComparisonParameters): Promise<Comparison> {
  const [a, b] = [await runWorkQueueExperiment({...p, prefetch: p.otherPrefetch}), await runWorkQueueExperiment(p)];
  return compareRuns({label: `prefetch ${p.otherPrefetch}`, history: a.history}, {label: `prefetch ${p.prefetch}`, history: b.history});
}

/**
 * The classic protocol's eager rebalance against the consumer protocol, the same workload and seed.
 * Offset commits are left out: each protocol commits on its own schedule (on revocation, on the
 * auto-commit timer), so aligning them would find that difference first, not what reached the members.
 */
export async function runProtocolComparison(o: RebalanceOptions): Promise<Comparison> {
  checkRebalanceOptions(o);
  const history = async (protocol: Protocol) => {
    const {events, names} = await protocolTrace(protocol, o);
    return kafkaHistory(events, {name: (m) => names.get(m) ?? m}).filter((op) => op.type !== "commit");
  };
  return compareRuns({label: "group.protocol=classic (eager)", history: await history("eager")}, {label: "group.protocol=consumer", history: await history("consumer")});
}
