// fast-check arbitraries for random Avro schemas, shared by the property tests.
import fc from "fast-check";

export type Shape =
  | {kind: "primitive"; name: string}
  | {kind: "array"; items: Shape}
  | {kind: "map"; values: Shape}
  | {kind: "nullable"; of: Shape}
  | {kind: "enum"; symbols: string[]}
  | {kind: "fixed"; size: number}
  | {kind: "record"; fields: {shape: Shape; withDefault: boolean}[]};

const PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

export const {shape} = fc.letrec<{shape: Shape}>((tie) => ({
  shape: fc.oneof(
    {maxDepth: 3, depthIdentifier: "schema"},
    fc.constantFrom(...PRIMITIVES).map((name): Shape => ({kind: "primitive", name})),
    tie("shape").map((items): Shape => ({kind: "array", items})),
    tie("shape").map((values): Shape => ({kind: "map", values})),
    tie("shape").map((of): Shape => ({kind: "nullable", of})),
    fc.uniqueArray(fc.constantFrom("A", "B", "C", "D"), {minLength: 1}).map((symbols): Shape => ({kind: "enum", symbols})),
    fc.integer({min: 1, max: 8}).map((size): Shape => ({kind: "fixed", size})),
    fc.array(fc.record({shape: tie("shape"), withDefault: fc.boolean()}), {maxLength: 3}).map((fields): Shape => ({kind: "record", fields}))
  )
}));

export const topRecord = fc.array(fc.record({shape, withDefault: fc.boolean()}), {minLength: 1, maxLength: 4}).map((fields): Shape => ({kind: "record", fields}));

/** The JSON schema of a shape; named types get fresh names (N1, N2, ...) from `names`. */
export function toSchema(s: Shape, names = {next: 1}): unknown {
  switch (s.kind) {
    case "primitive":
      return s.name;
    case "array":
      return {type: "array", items: toSchema(s.items, names)};
    case "map":
      return {type: "map", values: toSchema(s.values, names)};
    case "nullable": {
      const inner = toSchema(s.of, names);
      return Array.isArray(inner) || inner === "null" ? inner : ["null", inner];
    }
    case "enum":
      return {type: "enum", name: `N${names.next++}`, symbols: s.symbols};
    case "fixed":
      return {type: "fixed", name: `N${names.next++}`, size: s.size};
    case "record": {
      const name = `N${names.next++}`;
      return {
        type: "record",
        name,
        fields: s.fields.map(({shape: f, withDefault}, i) => {
          const type = toSchema(f, names);
          const value = defaultFor(type);
          return withDefault && value !== undefined ? {name: `f${i}`, type, default: value} : {name: `f${i}`, type};
        })
      };
    }
  }
}

/** A valid default for a JSON schema, if one is easy to write (records get none). */
export function defaultFor(type: any): unknown {
  if (Array.isArray(type)) return type[0] === "null" ? null : undefined;
  const name = typeof type === "string" ? type : type.type;
  const defaults: Record<string, unknown> = {null: null, boolean: false, int: 0, long: 0, float: 0, double: 0, bytes: "", string: "", array: [], map: {}};
  if (name in defaults) return defaults[name];
  if (name === "enum") return type.symbols[0];
  if (name === "fixed") return "\u0000".repeat(type.size);
  return undefined;
}

export const schemaOf = (s: Shape) => toSchema(s) as {type: "record"; name: string; fields: {name: string; type: unknown; default?: unknown}[]};
export const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

