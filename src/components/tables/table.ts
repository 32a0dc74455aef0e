// What every table function shares: the run it reads (a finished one: nothing here hooks into a
// model) and the step to an arquero table with the documented columns. Columns are read straight
// from the events (copying each event into a row object first costs several times more).
import {Trace, type Simulation, type TraceEvent, type TraceEventOf, type TraceKind} from "../sim/index.js";
import {aq, type ColumnTable} from "./arquero.js";
import {tableDocs, type TableName} from "./columns.js";

/** A run: its simulation, its trace, or the trace's events. */
export type Run = Simulation | Trace | readonly TraceEvent[];

export function traceEvents(run: Run): readonly TraceEvent[] {
  if (run instanceof Trace) return run.events;
  return "trace" in run ? run.trace.events : run;
}

/** The events of the given kinds, in trace order, each with its position in the trace (the `event` column). */
export function eventsOf<K extends TraceKind>(run: Run, ...kinds: K[]): [TraceEventOf<K>, number][] {
  const found: [TraceEventOf<K>, number][] = [];
  const events = traceEvents(run);
  for (let i = 0; i < events.length; i++) if ((kinds as string[]).includes(events[i].kind)) found.push([events[i] as TraceEventOf<K>, i]);
  return found;
}

/** The table `name` documents, one row per event: a column is `computed`, the event's position, or the event's field (undefined read as null). */
export function tableOfEvents(name: TableName, events: readonly [TraceEvent, number][], computed: Record<string, readonly unknown[]> = {}): ColumnTable {
  const column = (c: string) => computed[c] ?? (c === "event" ? events.map(([, i]) => i) : events.map(([e]) => (e as unknown as Record<string, unknown>)[c] ?? null));
  return aq.table(Object.fromEntries(Object.keys(tableDocs[name].columns).map((c) => [c, column(c)])));
}

/** The table `name` documents, from rows that carry its columns. */
export function tableOf<R extends Record<string, unknown>>(name: TableName, rows: readonly R[]): ColumnTable {
  return aq.table(Object.fromEntries(Object.keys(tableDocs[name].columns).map((c) => [c, rows.map((row) => row[c] ?? null)])));
}
