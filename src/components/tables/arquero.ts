// arquero, the workbook's one import of it. The package's entry (src/index.js) pulls Node built-ins
// into a browser bundle, so this loads the browser build (a UMD file) instead; the types are the
// package's own. See /work/shared/reference/framework-notes.md ("arquero 8").
import type * as Arquero from "arquero";
import * as bundle from "arquero/dist/arquero.min.js";

type Api = typeof Arquero;

/**
 * Framework's rollup wraps the UMD file as CommonJS, so its API is the default export. Node and
 * esbuild (the cells' worker) take it as an ES module (arquero's package.json says "type":
 * "module"), where the UMD wrapper finds no `exports` and sets `globalThis.aq` instead. (The
 * spread reads `default` without esbuild warning that this ES module has none.)
 */
export const aq: Api = ({...bundle} as {default?: Api}).default ?? (globalThis as {aq?: Api}).aq!;
export const op = aq.op;

export type {ColumnTable} from "arquero";

/** True for an arquero table (of this copy of arquero). */
export function isTable(value: unknown): value is Arquero.ColumnTable {
  return value instanceof aq.ColumnTable;
}
