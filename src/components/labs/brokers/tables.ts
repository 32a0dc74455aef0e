// 11.3's summary tables, built from the run's tables (tables/, arquero) rather than loops over
// the trace. arquero is 236 KB: these run in a worker of their own (tables-worker.ts), which the
// page starts only when the reader comes near a table, so it is never part of the first load.
import {experiment} from "../../claims/claim.js";
import {op, recordsConsumed, type Run} from "../../tables/index.js";
import {runKafkaLog, type KafkaLogParameters, type KafkaLogRun} from "./index.js";

export interface GroupReads {
  group: string;
  "records read": number;
  partitions: number;
  "read again": number;
  "first read (s)": number;
  "last read (s)": number;
}

/** Each consumer group's reading of a run: recordsConsumed grouped by group, in the order the groups first read. */
export function groupReads(run: Run): GroupReads[] {
  return recordsConsumed(run)
    .groupby("group")
    .rollup({
      "records read": op.count(),
      partitions: op.distinct("partition"),
      "read again": (d: {redelivered: boolean}) => op.sum(d.redelivered ? 1 : 0),
      "first read (s)": (d: {time: number}) => op.min(d.time) / 1000,
      "last read (s)": (d: {time: number}) => op.max(d.time) / 1000
    })
    .orderby("first read (s)")
    .objects() as GroupReads[];
}

export const kafkaLogTables = experiment({
  run: (p: KafkaLogParameters) => runKafkaLog(p),
  metrics: {groups: (r: KafkaLogRun) => Object.keys(r.consumedByGroup).length},
  view: (r: KafkaLogRun) => ({groupReads: groupReads(r.cluster.sim)})
});
