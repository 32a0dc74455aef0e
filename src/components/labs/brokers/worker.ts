// 11.3's experiments in a module worker (bundled by scripts/vendor.ts into vendor/worker.js): the
// three rebalance runs, the log read by four groups and the three-way task comparison each take
// longer than a frame, and with every experiment here the page loads none of the broker models.
// The rebalance runs its three protocols at once: two in helper workers (this same script, asked
// for one protocol's run), the third here. Each protocol is its own simulation, so the runs are
// the ones it would compute one after the other.
import {serveLab, labWorker} from "../../ui/lab-worker.js";
import {experiments} from "./index.js";
import {runProtocol, runRebalance, type ProtocolRun, type RebalanceOptions} from "./rebalance.js";
import {experiment} from "../../claims/claim.js";

/** One protocol's run, as a helper serves it. */
const rebalanceProtocol = experiment({
  run: (o: RebalanceOptions & {protocol: ProtocolRun["protocol"]}) => runProtocol(o.protocol, o),
  metrics: {},
  view: (run: ProtocolRun) => run
});

// The page's worker starts its two helpers as it starts (the reader came near a lab), so the
// first rebalance, warm run or not, does not wait for two workers to load; a helper, only ever
// asked for one protocol's run, starts none. A warm run of the rebalance warms them too.
const HELPER = "rebalance-helper";
const helpers = [labWorker(import.meta.url, {name: HELPER}), labWorker(import.meta.url, {name: HELPER})];
if (self.name !== HELPER) for (const helper of helpers) helper.load();
const elsewhere = (protocol: ProtocolRun["protocol"], o: RebalanceOptions): Promise<ProtocolRun> => {
  if (protocol === "consumer") return runProtocol(protocol, o);
  return helpers[protocol === "eager" ? 0 : 1]("rebalanceProtocol", {...o, protocol}).then((r) => r.view as ProtocolRun);
};

const rebalance = experiment({run: (o: RebalanceOptions) => runRebalance(o, elsewhere), metrics: experiments.rebalance.metrics, view: experiments.rebalance.view});

serveLab({...experiments, rebalance, rebalanceProtocol});
