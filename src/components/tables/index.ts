// Every run is a set of tables (arquero): one function per kind of trace event, named after the
// broker's concept, each taking a finished run (its Simulation, Trace or events) and returning a
// table whose columns columns.ts documents. Labs, loaders and the code cells import this module.
export {aq, op, isTable, type ColumnTable} from "./arquero.js";
export {tableDocs, type TableDoc, type TableName} from "./columns.js";
export type {Run} from "./table.js";
export {recordsAppended, recordsConsumed, offsetCommits, groupRebalances, partitionAssignments, transactionMarkers, logEndOffsets, consumerLag, duplicateDeliveries, duplicateWrites, orderViolations} from "./kafka.js";
export {messagesPublished, messagesDelivered, consumerAcks, messagesDeadLettered} from "./rabbitmq.js";
export {ruleMatches, targetInvocations, retriesExhausted} from "./eventbridge.js";
