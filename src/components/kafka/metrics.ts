// Committed offsets from a run's trace, for the ordering lab's chart. Every other question of a
// run is a table: src/components/tables (arquero) has one per trace kind and the derived ones.

import type {TraceEvent} from "../sim/index.js";

export interface CommittedOffsetRow {
  time: number;
  group: string;
  topic: string;
  partition: number;
  offset: number;
}

/** Every committed offset (the next offset the group will read), in time order. */
export function committedOffsets(events: readonly TraceEvent[]): CommittedOffsetRow[] {
  return events.filter((e) => e.kind === "kafka.commit").map((e) => ({time: e.time, group: e.group, topic: e.topic, partition: e.partition, offset: e.offset}));
}
