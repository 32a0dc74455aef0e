// The Kafka model's public surface. A page or a cell starts with
//   const sim = createSimulation({seed: 1});
//   const cluster = createCluster(sim, {brokers: 3});
//   cluster.createTopic("orders", {partitions: 3});
//   const producer = cluster.producer(); const consumer = cluster.consumer({groupId: "billing"});
// and runs it with `await sim.runUntilIdle()`. kafkajs.ts wraps the same model in kafkajs's API.

export {createCluster, Cluster, MAX_RECORDS_PER_RUN, type ClusterOptions, type CreateTopicOptions, type PartitionOffsets, type Topic} from "./cluster.js";
export {Producer, type Acks, type ProducerOptions, type ProducerRecord, type RecordMetadata} from "./producer.js";
export {Consumer, type ConsumerHandlers, type ConsumerOptions, type ConsumerRecord, type IsolationLevel, type OffsetReset} from "./consumer.js";
export {GroupCoordinator, type Group, type GroupState} from "./group.js";
export {TransactionCoordinator, type TransactionState} from "./transactions.js";
export type {OffsetToCommit} from "./protocol.js";
export {DEFAULT_TOPIC_CONFIG, CLEANUP_POLICIES, type CleanupPolicy, type LogRecord, type SegmentInfo, type TopicConfig, type Headers} from "./log.js";
export {KafkaConfigError, KafkaError} from "./errors.js";
export {scheduleFaults, FAULT_KINDS, type Fault} from "./faults.js";
export * from "./metrics.js";
export {murmur2, partitionForKey, toPositive} from "./partitioner.js";
export {ASSIGNORS, type AssignorName, type TopicPartition} from "./assignors.js";
