// Where keys land, and what adding a partition does to them. Kafka never moves existing
// records when a topic grows: new records for a key whose partition changed go elsewhere,
// so per-key order across the change is lost (Kafka docs, "Modifying topics").
import {partitionForKey} from "../../kafka/partitioner.js";
import {checkInteger} from "../../kafka/errors.js";

export interface KeyPlacement {
  key: string;
  partition: number;
}

export interface PartitionGrowth {
  /** Partition count before... */
  from: number;
  /** ...and after adding one partition. */
  to: number;
  /** Keys whose partition changed. */
  moved: number;
  /** Distinct keys considered. */
  keys: number;
  /** moved / keys. */
  share: number;
}

/** Distinct keys with the partition each lands on. */
export function placeKeys(keys: Iterable<string>, numPartitions: number): KeyPlacement[] {
  return [...new Set(keys)].map((key) => ({key, partition: partitionForKey(key, numPartitions)}));
}

/** For each count N in [1, maxPartitions), how many keys move when the topic goes from N to N + 1. */
export function partitionGrowth(keys: Iterable<string>, maxPartitions: number): PartitionGrowth[] {
  const distinct = [...new Set(keys)];
  const rows: PartitionGrowth[] = [];
  let before = distinct.map((key) => partitionForKey(key, 1));
  for (let from = 1; from < maxPartitions; from++) {
    const after = distinct.map((key) => partitionForKey(key, from + 1));
    const moved = after.reduce((n, p, i) => n + (p === before[i] ? 0 : 1), 0);
    rows.push({from, to: from + 1, moved, keys: distinct.length, share: distinct.length ? moved / distinct.length : 0});
    before = after;
  }
  return rows;
}

/** Keys from free text: one per line, blank lines dropped, nothing trimmed (Kafka hashes the exact bytes). */
export function parseKeys(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

/** The most distinct keys placed: the chart draws about 10,000 a second on the page's thread (20,000 froze it 2.5 s). */
export const MAX_KEYS = 2000;

export class KeysError extends TypeError {
  override name = "KeysError";
}

export interface PlacementParameters {
  seed: number | string;
  /** Keys as the reader types them: one per line. */
  keys: string;
  partitions: number;
  /** The growth chart's last step goes from maxPartitions - 1 to maxPartitions. */
  maxPartitions: number;
}

export interface PlacementRun {
  keys: string[];
  partitions: number;
  placements: KeyPlacement[];
  growth: PartitionGrowth[];
}

/** Where the keys land at `partitions`, and how many move at each step of growth. No randomness: the seed is unused. */
export function runPlacement({keys: text, partitions, maxPartitions}: PlacementParameters): PlacementRun {
  checkInteger("maxPartitions", maxPartitions, 2, 1024);
  checkInteger("partitions", partitions, 1, maxPartitions - 1);
  const keys = parseKeys(text);
  if (keys.length === 0) throw new KeysError("Type at least one key: one per line. Blank lines are ignored; spaces are part of the key.");
  const distinct = new Set(keys).size;
  if (distinct > MAX_KEYS) throw new KeysError(`At most ${MAX_KEYS.toLocaleString("en-US")} distinct keys: these are ${distinct.toLocaleString("en-US")}. The chart draws a dot for each.`);
  return {keys, partitions, placements: placeKeys(keys, partitions), growth: partitionGrowth(keys, maxPartitions)};
}
