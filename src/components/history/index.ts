// Histories, the checker and the counterfactual comparison: what labs, scripts and code cells import.
export {HistoryRecorder, messageId, wallClock, type AckOp, type AppendOp, type CommitOp, type CrashOp, type DeliverOp, type History, type Operation, type ProduceOp, type RebalanceOp, type TransactionOp} from "./history.js";
export {checkHistory, duplicateDeliveries, type Duplicate, type DuplicateCause, type Lost, type Reorder, type UncommittedRead, type Verdict} from "./check.js";
export {describeCauses, tally, type Tally} from "./tally.js";
export {anomalyMoments, compareRuns, describeOperation, firstDivergence, isComparison, seconds, type Moment, type Run} from "./compare.js";
export {anomalyCount, comparisonMeasures, comparisonMetrics, type Anomaly, type Comparison, type Consequence, type Divergence} from "./measures.js";
export {kafkaHistory, type Identity, type KafkaHistoryOptions} from "./kafka.js";
