// Topic routing: 1,000,000 routing keys against 10,000 topic bindings, our trie (TopicRouter)
// against qlobber (the fastest AMQP topic matcher on npm) on the same bindings and keys.
// Goal: at least 1.5x qlobber, timed in alternation (5 rounds each, CPU seconds of this process,
// medians), no memoisation on either side: every key walks the trie. Plus queue throughput:
// 4 consumers at prefetch 10, acking at once.
import {createRequire} from "node:module";
import {TopicRouter} from "../src/components/rabbitmq/routing.js";
import {createBroker} from "../src/components/rabbitmq/broker.js";
import {connect} from "../src/components/rabbitmq/amqplib.js";
import {createRandom} from "../src/components/sim/random.js";
import {createSimulation} from "../src/components/sim/index.js";
import {median, type Benchmark} from "./types.js";

const require = createRequire(import.meta.url);
const {Qlobber} = require("qlobber");

const random = createRandom("rabbitmq-bench");
// Keys shaped like event names: region.service.entity.action, from small vocabularies.
const levels = [
  ["eu", "us", "ap", "sa", "af", "me", "ca", "au"],
  Array.from({length: 25}, (_, i) => `svc${i}`),
  Array.from({length: 40}, (_, i) => `entity${i}`),
  ["created", "updated", "deleted", "shipped", "paid", "failed", "retried", "archived"]
];
const bindingKey = () =>
  levels
    .map((words, level) => {
      const r = random.next();
      if (level > 0 && r < 0.03) return "#";
      return r < 0.12 ? "*" : random.pick(words);
    })
    .join(".")
    .replace(/#(\.(#|\*|[^.]+))*$/, "#"); // a trailing '#' swallows what follows, as people write them
const routingKey = () => levels.map((words) => random.pick(words)).join(".");

const bench: Benchmark = async () => {
  const bindings = Array.from({length: 10_000}, (_, i) => [bindingKey(), `q${i}`] as const);
  const keys = Array.from({length: 1_000_000}, routingKey);

  const router = new TopicRouter<string>();
  const qlobber = new Qlobber({separator: ".", wildcard_one: "*", wildcard_some: "#"});
  for (const [key, queue] of bindings) {
    router.add(key, queue);
    qlobber.add(key, queue);
  }
  // Same answers before timing anything.
  for (const key of keys.slice(0, 2000)) {
    const ours = [...new Set(router.match(key))].sort().join();
    const theirs = [...new Set<string>(qlobber.match(key))].sort().join();
    if (ours !== theirs) throw new Error(`TopicRouter and qlobber disagree on ${key}`);
  }

  let matched = 0;
  const scratch: string[] = [];
  const runOurs = () => {
    for (const key of keys) {
      scratch.length = 0;
      matched += router.match(key, scratch).length;
    }
  };
  const runTheirs = () => {
    for (const key of keys) matched += qlobber.match(key).length;
  };
  const [ours, theirs] = alternate(keys.length, runOurs, runTheirs, 5);
  if (matched < 0) throw new Error("unreachable");

  return [
    {name: "rabbitmq.topicRouter", value: ours, unit: "msgs/cpu-s", baseline: theirs, ratio: ours / theirs, goal: ">= 1.5x qlobber"},
    {name: "rabbitmq.queue (4 consumers, prefetch 10)", value: await queueThroughput(100_000), unit: "msgs/s"}
  ];
};

/** Operations per CPU second of a and of b, timed alternately after a warm-up: the medians of `rounds`. */
function alternate(operations: number, a: () => void, b: () => void, rounds: number): [number, number] {
  const cpu = (fn: () => void) => {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
  a();
  b();
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < rounds; i++) ra.push(operations / cpu(a)), rb.push(operations / cpu(b));
  return [median(ra), median(rb)];
}

/** Messages per wall-clock second through one queue: publish, deliver round-robin, ack. */
async function queueThroughput(messages: number): Promise<number> {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const sim = createSimulation({seed: round, trace: false});
    const ch = await (await connect(undefined, {broker: createBroker(sim)})).createChannel();
    await ch.assertQueue("work");
    await ch.prefetch(10);
    let acked = 0;
    for (let c = 0; c < 4; c++) await ch.consume("work", (msg) => msg && (ch.ack(msg), acked++));
    const payload = new Uint8Array(64);
    const start = performance.now();
    for (let i = 0; i < messages; i++) ch.sendToQueue("work", payload);
    await sim.runUntilIdle();
    const seconds = (performance.now() - start) / 1000;
    if (acked !== messages) throw new Error(`acked ${acked} of ${messages}`);
    best = Math.max(best, messages / seconds);
  }
  return best;
}

export default bench;
