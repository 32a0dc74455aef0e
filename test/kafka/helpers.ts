// Small scenario builders shared by the Kafka tests.
import {createCluster, type ClusterOptions, type CreateTopicOptions} from "../../src/components/kafka/index.js";
import {createSimulation} from "../../src/components/sim/index.js";

/** A simulation and a cluster with one topic. */
export function setup(topic: CreateTopicOptions & {name?: string} = {}, options: ClusterOptions & {seed?: number | string} = {}) {
  const {seed = 1, ...clusterOptions} = options;
  const sim = createSimulation({seed});
  const cluster = createCluster(sim, clusterOptions);
  const {name = "orders", ...topicOptions} = topic;
  cluster.createTopic(name, topicOptions);
  return {sim, cluster};
}
