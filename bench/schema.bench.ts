// 1,000,000 records encoded and decoded through wire.ts (Confluent framing around avsc) against
// raw avsc (type.toBuffer / type.fromBuffer) in the same process. Goal: wire.ts takes at most
// 1.2x raw avsc's time; the ratio column is that time overhead (raw avsc ops/s ÷ wire.ts ops/s).
import {createRequire} from "node:module";
import {toType} from "../src/components/schema/parse.js";
import {decodeWire, encodeWire} from "../src/components/schema/wire.js";
import {createRandom} from "../src/components/sim/random.js";
import type {Benchmark, BenchResult} from "./types.js";

const require = createRequire(import.meta.url);
const avsc = require("avsc");

const schema = {
  type: "record",
  name: "OrderPlaced",
  namespace: "shop.orders",
  fields: [
    {name: "orderId", type: "long"},
    {name: "customerId", type: "string"},
    {name: "amount", type: "double"},
    {name: "currency", type: {type: "enum", name: "Currency", symbols: ["EUR", "USD", "GBP"]}},
    {name: "items", type: "int"},
    {name: "note", type: ["null", "string"], default: null}
  ]
};

const N = 1_000_000;

function cpuOpsPerSecond(operations: number, fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const {user, system} = process.cpuUsage(start);
  return operations / ((user + system) / 1e6);
}

const bench: Benchmark = () => {
  const random = createRandom("schema-bench");
  const values = Array.from({length: 10_000}, (_, i) => ({
    orderId: 1_000_000 + i,
    customerId: `customer-${random.int(100_000)}`,
    amount: random.int(1_000_000) / 100,
    currency: random.pick(["EUR", "USD", "GBP"]),
    items: 1 + random.int(9),
    note: random.chance(0.2) ? "leave at the door" : null
  }));
  const ours = toType(schema);
  const raw = avsc.Type.forSchema(schema);
  const lookup = () => ours;
  let sink = 0;

  const oursRoundTrip = () => {
    for (let i = 0; i < N; i++) {
      const bytes = encodeWire(7, ours, values[i % values.length]);
      sink += (decodeWire(bytes, lookup).value as {items: number}).items;
    }
  };
  const rawRoundTrip = () => {
    for (let i = 0; i < N; i++) sink += raw.fromBuffer(raw.toBuffer(values[i % values.length])).items;
  };
  const encoded = values.map((v) => encodeWire(7, ours, v));
  const rawEncoded = values.map((v) => raw.toBuffer(v));

  const pairs: [() => void, () => void][] = [
    [oursRoundTrip, rawRoundTrip],
    [
      () => {
        for (let i = 0; i < N; i++) sink += encodeWire(7, ours, values[i % values.length]).length;
      },
      () => {
        for (let i = 0; i < N; i++) sink += raw.toBuffer(values[i % values.length]).length;
      }
    ],
    [
      () => {
        for (let i = 0; i < N; i++) sink += (decodeWire(encoded[i % encoded.length], lookup).value as {items: number}).items;
      },
      () => {
        for (let i = 0; i < N; i++) sink += raw.fromBuffer(rawEncoded[i % rawEncoded.length]).items;
      }
    ]
  ];
  // Each side's best of `rounds`, interleaved so that a busy machine slows both alike; timed in
  // process CPU time (shared CI machines lose wall-clock time to other processes).
  const rounds = 5;
  const [[bestOurs, bestRaw], [encodeOurs, encodeRaw], [decodeOurs, decodeRaw]] = pairs.map(([a, b]) => {
    a();
    b();
    let bestA = 0;
    let bestB = 0;
    for (let r = 0; r < rounds; r++) {
      bestA = Math.max(bestA, cpuOpsPerSecond(N, a));
      bestB = Math.max(bestB, cpuOpsPerSecond(N, b));
    }
    return [bestA, bestB];
  });
  if (sink < 0) throw new Error("unreachable");

  const row = (name: string, value: number, baseline: number, goal?: string): BenchResult => ({
    name,
    value,
    unit: "records/s",
    baseline,
    ratio: baseline / value,
    ...(goal ? {goal} : {})
  });
  const results = [
    row("schema.wire encode+decode", bestOurs, bestRaw, "time <= 1.2x raw avsc"),
    row("schema.wire encode", encodeOurs, encodeRaw),
    row("schema.wire decode", decodeOurs, decodeRaw)
  ];
  for (const r of results) console.error(`${r.name}: ${r.ratio!.toFixed(3)}x raw avsc's time`);
  return results;
};

export default bench;
