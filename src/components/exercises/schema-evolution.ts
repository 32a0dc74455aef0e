// 11.5's exercise, "write a v3 schema that stays FULL_TRANSITIVE with the registry's history": the
// reader writes OrderPlaced v3 (Marketing wants the coupon code an order used). The run registers
// the history (data/schemas/v1.avsc, v2.avsc) and the reader's v3 under FULL_TRANSITIVE on the
// schema model's registry, then replays the reads the grader drew: a record written with one
// version, framed by the Confluent serializer, read by a consumer on another. The property: the
// registry accepts v3, v3 has the fields the task asks for, and every consumer reads every record
// with the values the writer wrote, or, for a field the writer lacks, the default the history
// first promised for it (v2's readers already read v1 orders as deliveryType STANDARD; a v3 that
// says otherwise changes what old orders mean, which no compatibility level checks).
import {type AvroType, type SchemaInput} from "../schema/avro.js";
import {SchemaParseError, toType} from "../schema/parse.js";
import {IncompatibleSchemaError, SchemaRegistry, topicNameStrategy} from "../schema/registry.js";
import {createAvroDeserializer, createAvroSerializer, sampleValue} from "../schema/serde.js";
import {seconds} from "../history/index.js";
import {createRandom} from "../sim/index.js";
import type {Attempt, ExerciseModel, Fault, Outcome} from "./exercise.js";

export interface SchemaEvolutionOptions {
  /** The subject's versions so far, oldest first (the texts of data/schemas/v1.avsc and v2.avsc). */
  history: readonly SchemaInput[];
  /** Top-level fields the new version must have (the task's request). */
  requiredFields?: readonly string[];
  /** Reads drawn per seed: at least one, at most this many. */
  maxReads?: number;
}

export interface NewVersion {
  type: AvroType;
}

export const SUBJECT = topicNameStrategy("orders", "value");

/** Its one fault: a record written with one version is read by a consumer on another. */
export const SCHEMA_EVOLUTION_FAULTS = ["read"] as const;

/** No history of its own: an exercise names its versions' files (models.ts has the build read them). */
export const schemaEvolutionDefaults: Required<SchemaEvolutionOptions> & {faultKinds: string[]} = {history: [], requiredFields: [], maxReads: 8, faultKinds: [...SCHEMA_EVOLUTION_FAULTS]};

type Field = {name: string; aliases: string[]; type: AvroType; defaultValue(): unknown};
const fieldsOf = (type: AvroType) => ((type as AvroType & {fields?: Field[]}).fields ?? []) as Field[];

/** The model, for a history and a task. */
export function schemaEvolutionExercise({history, requiredFields = [], maxReads = 8}: SchemaEvolutionOptions): ExerciseModel<NewVersion> {
  if (history.length === 0) throw new RangeError("history must hold at least one earlier version of the schema (e.g. [\"schemas/v1.avsc\"])");
  const versions = history.map((schema) => toType(schema));
  const names = [...versions.map((_, i) => `v${i + 1}`), `v${versions.length + 1}`];
  return {
    solution(value) {
      if (typeof value !== "string" && (value === null || typeof value !== "object")) {
        throw new TypeError(`${names.at(-1)} must be an Avro schema, as JSON text or an object, got ${value === null ? "null" : typeof value}`);
      }
      try {
        return {type: toType(value as SchemaInput)};
      } catch (error) {
        if (error instanceof SchemaParseError) throw new TypeError(`${names.at(-1)} is not a valid schema: ${error.message}`);
        throw error;
      }
    },
    faults(random) {
      return Array.from({length: 1 + random.int(maxReads)}, (_, k) => {
        const writer = random.int(names.length);
        const reader = (writer + 1 + random.int(names.length - 1)) % names.length;
        return {kind: "read", at: (k + 1) * 100, target: `record ${1 + random.int(20)} of ${names[writer]}, read by ${names[reader]}`};
      });
    },
    run: (solution, attempt) => runReads([...versions, solution.type], names, requiredFields, attempt)
  };
}

function runReads(types: AvroType[], names: string[], requiredFields: readonly string[], {seed, faults}: Attempt): Outcome {
  const candidate = names.at(-1)!;
  const missing = requiredFields.filter((f) => !fieldsOf(types.at(-1)!).some((field) => field.name === f));
  if (missing.length) return {ok: false, problem: `${candidate} has no field ${missing.join(", ")}: the task asks for ${missing.length > 1 ? "them" : "it"}`};
  const registry = new SchemaRegistry({compatibility: "FULL_TRANSITIVE"});
  try {
    for (const type of types) registry.register(SUBJECT, type);
  } catch (error) {
    if (!(error instanceof IncompatibleSchemaError)) throw error;
    const reasons = error.issues.map((i) => `${i.direction === "backward" ? `${candidate} cannot read records written with v${i.version}` : `v${i.version}'s consumers cannot read records written with ${candidate}`}: ${i.message}`);
    return {ok: false, problem: `the registry refused ${candidate} under FULL_TRANSITIVE: ${reasons.join("; ")}`, moments: [{at: 0, text: error.message}]};
  }
  for (const fault of faults) {
    const read = parseRead(fault, names);
    if (!read) continue;
    const problem = checkRead(registry, types, names, read, seed);
    if (problem) return {ok: false, problem: `at ${seconds(fault.at)}, ${problem}`, moments: [{at: fault.at, text: problem}]};
  }
  return {ok: true};
}

interface Read {
  record: number;
  writer: number;
  reader: number;
}

function parseRead(fault: Fault, names: string[]): Read | null {
  const match = /^record (\d+) of (v\d+), read by (v\d+)$/.exec(fault.target ?? "");
  if (fault.kind !== "read" || !match) return null;
  const [writer, reader] = [names.indexOf(match[2]), names.indexOf(match[3])];
  return writer < 0 || reader < 0 ? null : {record: Number(match[1]), writer, reader};
}

/** One record, drawn from its own stream (so dropping a read leaves the others as they were), written and read on the wire. */
function checkRead(registry: SchemaRegistry, types: AvroType[], names: string[], {record, writer, reader}: Read, seed: number): string | null {
  const written = sampleValue(types[writer], createRandom(`${seed}/${names[writer]}/record-${record}`)) as Record<string, unknown>;
  const what = `record ${record} written with ${names[writer]} (${show(written)}) and read by ${names[reader]}'s consumer`;
  const serialize = createAvroSerializer(registry, {subject: SUBJECT, schema: types[writer], autoRegister: false});
  let read: Record<string, unknown>;
  try {
    read = createAvroDeserializer(registry, {readerSchema: types[reader]})(serialize(written)) as Record<string, unknown>;
  } catch (error) {
    return `${what} could not be read: ${(error as Error).message}`;
  }
  for (const field of fieldsOf(types[reader])) {
    const source = fieldsOf(types[writer]).find((f) => f.name === field.name || field.aliases.includes(f.name));
    const actual = read[field.name];
    if (source) {
      if (!sameValue(actual, written[source.name])) return `${what}: ${field.name} reads as ${show(actual)}, but ${names[writer]} wrote ${show(written[source.name])}`;
      continue;
    }
    const promise = promisedDefault(types, names, field.name);
    if (promise && !sameValue(actual, promise.value)) {
      return `${what}: ${names[writer]} has no ${field.name}, and ${names[reader]} reads it as ${show(actual)}, but ${promise.version}'s consumers read such records as ${show(promise.value)} (its default): a default says what old records mean, and changing it changes what they say`;
    }
  }
  return null;
}

/** The default of `field` in the first version that gave it one. */
function promisedDefault(types: AvroType[], names: string[], name: string): {version: string; value: unknown} | null {
  for (const [i, type] of types.entries()) {
    const value = fieldsOf(type).find((f) => f.name === name)?.defaultValue();
    if (value !== undefined) return {version: names[i], value};
  }
  return null;
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** Deep equality of decoded Avro values; bytes equal bytes only (a string read as bytes has changed). */
function sameValue(a: unknown, b: unknown): boolean {
  if (isBytes(a) || isBytes(b)) return isBytes(a) && isBytes(b) && a.length === b.length && a.every((x, i) => x === b[i]);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A value as JSON, with bytes shown as bytes. */
function show(value: unknown): string {
  // `this[key]` is the value before Buffer's toJSON turned it into {type: "Buffer", data}.
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return isBytes(raw) ? `<bytes ${[...raw].map((x) => x.toString(16).padStart(2, "0")).join(" ")}>` : v;
  }) ?? String(value);
}
