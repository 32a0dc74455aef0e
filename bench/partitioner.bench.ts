// partitionForKey over 1,000,000 keys drawn from 10,000 distinct strings, against kafkajs's own
// default (Java-compatible) partitioner on the same keys. Goal: at least 5x kafkajs.
import {createRequire} from "node:module";
import {partitionForKey} from "../src/components/kafka/partitioner.js";
import {createRandom} from "../src/components/sim/random.js";
import {opsPerSecond, type Benchmark} from "./types.js";

const require = createRequire(import.meta.url);
const {Partitioners} = require("kafkajs");

const bench: Benchmark = () => {
  const random = createRandom("partitioner-bench");
  const distinct = Array.from({length: 10_000}, (_, i) => `order-${i}-${random.int(1e9).toString(36)}`);
  const keys = Array.from({length: 1_000_000}, () => random.pick(distinct));
  const partitionMetadata = Array.from({length: 12}, (_, partitionId) => ({partitionId, leader: 0}));
  const kafkajs = Partitioners.DefaultPartitioner();

  let sink = 0;
  const ours = opsPerSecond(keys.length, () => {
    for (const key of keys) sink += partitionForKey(key, 12);
  });
  const theirs = opsPerSecond(keys.length, () => {
    for (const key of keys) sink += kafkajs({topic: "orders", partitionMetadata, message: {key}});
  });
  if (sink < 0) throw new Error("unreachable");
  return [{name: "kafka.partitionForKey", value: ours, unit: "keys/s", baseline: theirs, ratio: ours / theirs, goal: ">= 5x kafkajs"}];
};

export default bench;
