// Schemas in, avsc Types out, with errors a learner can act on: a JSON syntax error with its
// line:column, avsc's reason for an invalid schema, and the field and value that do not fit.
import {avro, isAvroType, type AvroType, type SchemaInput} from "./avro.js";

export type SchemaErrorKind = "json-syntax" | "invalid-schema";

export interface SchemaErrorDetail {
  kind: SchemaErrorKind;
  message: string;
  /** 1-based position in the schema text (JSON syntax errors only). */
  line?: number;
  column?: number;
  offset?: number;
}

/** A schema that could not be parsed; `detail` is the structured form for inline display. */
export class SchemaParseError extends Error {
  override name = "SchemaParseError";
  readonly detail: SchemaErrorDetail;
  constructor(detail: SchemaErrorDetail) {
    super(detail.message);
    this.detail = detail;
  }
}

export type ParsedSchema = {ok: true; type: AvroType; schema: object | string} | {ok: false; error: SchemaErrorDetail};

/** Parses schema text (as typed into the page) without throwing. */
export function parseSchemaText(text: string): ParsedSchema {
  try {
    const type = toType(text);
    return {ok: true, type, schema: type.schema({exportAttrs: true}) as object | string};
  } catch (error) {
    if (error instanceof SchemaParseError) return {ok: false, error: error.detail};
    throw error;
  }
}

const textCache = new Map<string, AvroType>();
const objectCache = new WeakMap<object, AvroType>();
const TEXT_CACHE_LIMIT = 1000; // the page parses on every keystroke

/** The avsc Type of a schema (cached by text or object identity); throws SchemaParseError. */
export function toType(schema: SchemaInput): AvroType {
  if (schema instanceof avro.Type || isAvroType(schema)) return schema as AvroType;
  if (typeof schema === "string") {
    let type = textCache.get(schema);
    if (!type) {
      type = forSchema(parseJson(schema));
      if (textCache.size >= TEXT_CACHE_LIMIT) textCache.clear();
      textCache.set(schema, type);
    }
    return type;
  }
  if (schema === null || typeof schema !== "object") {
    throw new SchemaParseError({kind: "invalid-schema", message: `a schema must be JSON text, a JSON object/array or an avsc Type, got ${schema === null ? "null" : typeof schema}`});
  }
  let type = objectCache.get(schema);
  if (!type) objectCache.set(schema, (type = forSchema(schema)));
  return type;
}

/** Deeper than this, a schema is refused before avsc's recursive parser would overflow its stack. */
export const MAX_SCHEMA_DEPTH = 100;

/**
 * What is not an Avro schema at all, said in the learner's terms before avsc sees it (avsc would
 * say "unknown type: undefined" for `{}`, or overflow its stack on deep nesting): every place a
 * schema goes (the top, a field's type, array items, map values, a union's branches) holds a type
 * name, a union [..] or an object with a "type". Walked with a stack, not recursion.
 */
export function schemaShapeProblem(schema: unknown): string | null {
  const stack: {value: unknown; at: string; depth: number}[] = [{value: schema, at: "the schema", depth: 0}];
  while (stack.length > 0) {
    const {value, at, depth} = stack.pop()!;
    if (depth > MAX_SCHEMA_DEPTH) return `it nests types deeper than ${MAX_SCHEMA_DEPTH} levels (arrays, maps, records and unions inside one another)`;
    const push = (child: unknown, where: string) => stack.push({value: child, at: where, depth: depth + 1});
    if (typeof value === "string") continue;
    if (Array.isArray(value)) {
      value.forEach((branch, i) => push(branch, `${at}, union branch ${i}`));
      continue;
    }
    if (value === null || typeof value !== "object") return `${at} must be a type name such as "string", a union [..] or an object with a "type", not ${JSON.stringify(value)}`;
    if (!("type" in value)) return `${at} is an object without "type": give it one, such as {"type": "string"} or {"type": "record", "name": ..., "fields": [..]}`;
    const {type, fields, items, values} = value as {type: unknown; fields?: unknown; items?: unknown; values?: unknown};
    if (typeof type === "object" && type !== null) push(type, `${at}'s type`);
    if ((type === "record" || type === "error") && Array.isArray(fields)) {
      for (const [i, field] of fields.entries()) {
        const name = (field as {name?: unknown} | null)?.name;
        const where = `field ${typeof name === "string" ? `"${name}"` : i} of ${at}`;
        if (field === null || typeof field !== "object" || !("type" in field)) return `${where} needs a "type", such as {"name": "total", "type": "double"}`;
        push((field as {type: unknown}).type, where);
      }
    }
    if (type === "array" && "items" in value) push(items, `the items of ${at}`);
    if (type === "map" && "values" in value) push(values, `the values of ${at}`);
  }
  return null;
}

function forSchema(schema: unknown): AvroType {
  const problem = schemaShapeProblem(schema);
  if (problem) throw new SchemaParseError({kind: "invalid-schema", message: `not an Avro schema: ${problem}`});
  try {
    // Records, enums and fixed types must be named, as in the Avro specification.
    return avro.Type.forSchema(schema as Parameters<typeof avro.Type.forSchema>[0], {noAnonymousTypes: true});
  } catch (error) {
    throw new SchemaParseError({kind: "invalid-schema", message: `invalid Avro schema: ${explainAvscSchemaError((error as Error).message)}`});
  }
}

// avsc's reasons are terse ("undefined type name: strin", "missing name property in schema: ...");
// keep them, and add what the learner should check.
function explainAvscSchemaError(message: string): string {
  const unknown = /^undefined type name: (.*)$/.exec(message);
  if (unknown) {
    return `unknown type "${unknown[1]}": use a primitive (null, boolean, int, long, float, double, bytes, string), record, enum, array, map, fixed, a union [..], or a named type defined earlier in the schema`;
  }
  if (/^missing name property/.test(message)) return `${message} (records, enums and fixed types need a "name")`;
  return message;
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  // A bare primitive name is a common shorthand in forms; JSON would want "\"long\"".
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(trimmed)) return trimmed;
  try {
    return JSON.parse(text);
  } catch {
    const {offset, message} = locateJsonError(text);
    const {line, column} = lineColumn(text, offset);
    throw new SchemaParseError({kind: "json-syntax", message: `invalid JSON at ${line}:${column}: ${message}`, line, column, offset});
  }
}

function lineColumn(text: string, offset: number): {line: number; column: number} {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") (line++, (start = i + 1));
  return {line, column: offset - start + 1};
}

// Browsers word JSON.parse errors differently (Safari gives no position at all), so the position
// comes from this small scanner, run only after JSON.parse has failed.
function locateJsonError(text: string): {offset: number; message: string} {
  let i = 0;
  class Stop {
    constructor(readonly offset: number, readonly message: string) {}
  }
  const fail = (message: string, at = i): never => {
    throw new Stop(at, message);
  };
  const describe = (at: number) => (at >= text.length ? "end of input" : `'${text[at]}'`);
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("bad \\u escape in string", i - 1);
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) fail("bad escape in string", i - 1);
      } else if (text.charCodeAt(i) < 0x20) fail("unescaped control character (a line break?) in string");
      i++;
    }
    if (i >= text.length) fail("unterminated string", start);
    i++;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail(text[i] === "}" ? "trailing comma before '}'" : `expected a property name in double quotes, found ${describe(i)}`);
        string();
        space();
        if (text[i] !== ":") fail(`expected ':' after property name, found ${describe(i)}`);
        i++;
        value();
        space();
        if (text[i] === ",") (i++);
        else if (text[i] === "}") return void i++;
        else fail(`expected ',' or '}' after property value, found ${describe(i)}`);
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (;;) {
        space();
        if (text[i] === "]") fail("trailing comma before ']'");
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail(`expected ',' or ']' after array element, found ${describe(i)}`);
      }
    }
    if (c === '"') return string();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (literal) return void (i += literal[0].length);
    fail(c === "'" ? "strings need double quotes" : `unexpected ${describe(i)}`);
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the schema`);
    return {offset: 0, message: "invalid JSON"};
  } catch (stop) {
    if (stop instanceof Stop) return {offset: stop.offset, message: stop.message};
    throw stop;
  }
}

export interface ValueProblem {
  /** Dotted path of the field ("customer.email", "items[2].sku"); "" for the value itself. */
  path: string;
  value: unknown;
  expected: string;
}

/** A value that does not fit its schema: the message names each field and value. */
export class InvalidValueError extends TypeError {
  override name = "InvalidValueError";
  readonly problems: ValueProblem[];
  constructor(problems: ValueProblem[], schemaName: string) {
    super(
      `value does not match schema ${schemaName}: ` +
        problems.map((p) => `${p.path || "(the value)"} = ${show(p.value)} is not a valid ${p.expected}`).join("; ")
    );
    this.problems = problems;
  }
}

/** The fields of `value` that do not fit `type` (empty when it is valid). */
export function findValueProblems(type: AvroType, value: unknown): ValueProblem[] {
  const problems: ValueProblem[] = [];
  type.isValid(value, {
    errorHook(path, val, at) {
      problems.push({path: path.reduce((s, part) => (/^\d+$/.test(part) ? `${s}[${part}]` : s ? `${s}.${part}` : part), ""), value: val, expected: describeType(at)});
    }
  });
  return problems;
}

/** Throws InvalidValueError when `value` does not fit `type`. */
export function assertValid(type: AvroType, value: unknown): void {
  const problems = findValueProblems(type, value);
  if (problems.length > 0) throw new InvalidValueError(problems, describeType(type));
}

/** A short human name of a type: `long`, `record Order`, `array<string>`, `[null, string]`. */
export function describeType(type: AvroType): string {
  const t = type as AvroType & {itemsType?: AvroType; valuesType?: AvroType; types?: AvroType[]; size?: number};
  const name = t.typeName;
  if (name === "record" || name === "error" || name === "enum") return `${name} ${t.name}`;
  if (name === "fixed") return `fixed ${t.name} (${t.size} bytes)`;
  if (name === "array") return `array<${describeType(t.itemsType!)}>`;
  if (name === "map") return `map<${describeType(t.valuesType!)}>`;
  if (name.startsWith("union")) return `[${t.types!.map(describeType).join(", ")}]`;
  return name;
}

function show(value: unknown): string {
  if (value === undefined) return "undefined (missing)";
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `bytes[${value.length}]`;
  try {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    return String(value);
  }
}
