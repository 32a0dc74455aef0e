// Where keys land, and what adding a partition does to them. Kafka never moves existing
// records when a topic grows: new records for a key whose partition changed go elsewhere,
// so per-key order across the change is lost (Kafka docs, "Modifying topics").
import {partitionForKey} from "../../kafka/partitioner.js";

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
