// The check every one-event-one-row table passes: its columns are the documented ones, it has one
// row per event of its kinds, and each row's fields equal its event's (undefined read as null).
import {expect} from "vitest";
import type {Simulation, TraceKind} from "../../src/components/sim/index.js";
import {tableDocs, type ColumnTable, type TableName} from "../../src/components/tables/index.js";

export function expectRowsMatchTrace(sim: Simulation, name: TableName, table: ColumnTable, kinds: TraceKind[]): Record<string, unknown>[] {
  expect(table.columnNames()).toEqual(Object.keys(tableDocs[name].columns));
  const events = sim.trace.events.filter((e) => kinds.includes(e.kind));
  expect(events.length, `${name}: the scenario records ${kinds.join(", ")}`).toBeGreaterThan(0);
  expect(table.numRows()).toBe(events.length);
  const rows = table.objects() as Record<string, unknown>[];
  rows.forEach((row, i) => {
    const event = sim.trace.events[row.event as number] as unknown as Record<string, unknown>;
    expect(event, `${name} row ${i}`).toBe(events[i]); // trace order, one row per event
    for (const column of Object.keys(row)) {
      if (column in event) expect(row[column], `${name}.${column}`).toEqual(event[column] ?? null);
    }
  });
  return rows;
}

/** Each column's set of `typeof`s ("object" for null): one type per column, or a type and null. */
export function columnTypes(table: ColumnTable): Record<string, string> {
  const rows = table.objects() as Record<string, unknown>[];
  return Object.fromEntries(table.columnNames().map((c) => [c, [...new Set(rows.map((r) => (r[c] === null ? "null" : Array.isArray(r[c]) ? "array" : typeof r[c])))].sort().join("|")]));
}
