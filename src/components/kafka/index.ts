// The Kafka model's public surface. A page or a cell starts with
//   const sim = createSimulation({seed: 1});
//   const cluster = createCluster(sim, {brokers: 3});
//   cluster.createTopic("orders", {partitions: 3});
//   const producer = cluster.producer(); const consumer = cluster.consumer({groupId: "billing"});
// and runs it with `await sim.runUntilIdle()`. kafkajs.ts wraps the same model in kafkajs's API.

export {createCluster, Cluster, type ClusterOptions, type CreateTopicOptions} from "./cluster.js";
export type {Consumer, ConsumerRecord} from "./consumer.js";
export {KafkaConfigError, KafkaError} from "./errors.js";
export {scheduleFaults, type Fault} from "./faults.js";
export {partitionForKey} from "./partitioner.js";
export {ASSIGNORS, type AssignorName} from "./assignors.js";
