// What every table function shares: the run it reads (a finished one: nothing here hooks into a
// model) and the step from rows to an arquero table with the documented columns.
import {Trace, type Simulation, type TraceEvent, type TraceEventOf, type TraceKind} from "../sim/index.js";
import {aq, type ColumnTable} from "./arquero.js";
import {tableDocs, type TableName} from "./columns.js";

/** A run: its simulation, its trace, or the trace's events. */
export type Run = Simulation | Trace | readonly TraceEvent[];

export function traceEvents(run: Run): readonly TraceEvent[] {
  if (run instanceof Trace) return run.events;
  return "trace" in run ? run.trace.events : run;
}

/** The events of one kind with their position in the trace (the `event` column). */
export function eventsOf<K extends TraceKind>(run: Run, kind: K): [TraceEventOf<K>, number][] {
  const found: [TraceEventOf<K>, number][] = [];
  traceEvents(run).forEach((e, i) => {
    if (e.kind === kind) found.push([e as TraceEventOf<K>, i]);
  });
  return found;
}

/** The table `name` documents, column by column, from rows that carry (at least) its columns. */
export function tableOf<R extends Record<string, unknown>>(name: TableName, rows: readonly R[]): ColumnTable {
  const names = Object.keys(tableDocs[name].columns);
  return aq.table(Object.fromEntries(names.map((column) => [column, rows.map((row) => row[column] ?? null)])));
}
