// The logic behind 11.5's experiments, on top of the schema model (src/components/schema/): the
// editor's versions parsed, their verdicts at every compatibility level, a registry that
// registers them in order, a record read both ways round, the deploy-order runs and the byte
// inspector. Pure functions of the schema texts, so the page and the tests share them.
import {checkReadable, COMPATIBILITY_LEVELS, verdictsByLevel, type CompatibilityLevel, type CompatibilityReport, type Incompatibility} from "../../schema/compatibility.js";
import {findValueProblems, parseSchemaText, type ParsedSchema, type SchemaErrorDetail, type ValueProblem} from "../../schema/parse.js";
import {SchemaRegistry, SchemaRegistryError, IncompatibleSchemaError, topicNameStrategy} from "../../schema/registry.js";
import {decodeWire, encodeWire, inspectWire, type WireRegion} from "../../schema/wire.js";
import {runDeployOrder, sampleValue, type DeployBucket, type DeployStep} from "../../schema/serde.js";
import type {AvroType} from "../../schema/avro.js";
import {createRandom} from "../../sim/index.js";

export {COMPATIBILITY_LEVELS, type CompatibilityLevel};

/** The subject the page registers under: the value schema of topic `orders` (TopicNameStrategy). */
export const SUBJECT = topicNameStrategy("orders", "value");

/** A schema file as the data loader delivers it. */
export interface SchemaFile {
  /** "v1", "v2", "v3". */
  name: string;
  file: string;
  text: string;
}

/** A one-click change of v1, from data/schemas/examples.json. */
export interface SchemaExample {
  id: string;
  label: string;
  /** What the example teaches; `backticks` mark code. */
  lesson: string;
  /** The v2 schema as JSON text. */
  text: string;
}

export type Version =
  | {name: string; blank: true}
  | {name: string; blank: false; parsed: ParsedSchema};

/** v1, v2, v3 ... parsed; a blank text is a version not in use (v3 when an example loads). */
export function parseVersions(texts: readonly string[]): Version[] {
  return texts.map((text, i) => {
    const name = `v${i + 1}`;
    return text.trim() === "" ? {name, blank: true} : {name, blank: false, parsed: parseSchemaText(text)};
  });
}

/** One line of the editor's status under a textarea. */
export function versionStatus(version: Version): {ok: boolean; message: string} {
  if (version.blank) return {ok: true, message: `${version.name} is empty: not in use`};
  const {parsed} = version;
  if (!parsed.ok) return {ok: false, message: describeSchemaError(parsed.error)};
  const fields = (parsed.type as AvroType & {fields?: {name: string}[]}).fields;
  return {ok: true, message: `valid Avro: ${fields ? `record ${(parsed.type as AvroType & {name: string}).name}, fields ${fields.map((f) => f.name).join(", ")}` : parsed.type.typeName}`};
}

export function describeSchemaError(error: SchemaErrorDetail): string {
  return error.kind === "json-syntax" ? `Not valid JSON, line ${error.line}, column ${error.column}: ${error.message.replace(/^invalid JSON at \d+:\d+: /, "")}` : error.message;
}

/** The verdicts of one version against the versions before it. */
export type CandidateVerdicts =
  | {name: string; previous: string[]; ok: true; reports: Record<CompatibilityLevel, CompatibilityReport>}
  | {name: string; previous: string[]; ok: false; message: string};

/** Every version after the first, at every level, against the versions in use before it. */
export function versionVerdicts(versions: readonly Version[]): CandidateVerdicts[] {
  const inUse = versions.filter((v): v is Extract<Version, {blank: false}> => !v.blank);
  return inUse.slice(1).map((candidate, i) => {
    const earlier = inUse.slice(0, i + 1);
    const previous = earlier.map((v) => v.name);
    const broken = [...earlier, candidate].filter((v) => !v.parsed.ok).map((v) => v.name);
    if (broken.length > 0) {
      return {name: candidate.name, previous, ok: false, message: `no verdict: ${broken.join(" and ")} ${broken.length > 1 ? "are not valid schemas" : "is not a valid schema"} (see the error under it)`};
    }
    const types = earlier.map((v) => (v.parsed as Extract<ParsedSchema, {ok: true}>).type);
    return {name: candidate.name, previous, ok: true, reports: verdictsByLevel((candidate.parsed as Extract<ParsedSchema, {ok: true}>).type, types)};
  });
}

/** One directed check that failed, with the versions in words. */
export interface Reason {
  candidate: string;
  other: string;
  direction: "backward" | "forward";
  /** "v2 reads v1 data" (backward) or "v1 reads v2 data" (forward). */
  reading: string;
  issue: Incompatibility;
}

/** The failed checks behind a candidate's verdicts, each pair and direction once (the levels share them). */
export function verdictReasons(verdict: CandidateVerdicts): Reason[] {
  if (!verdict.ok) return [];
  // FULL_TRANSITIVE runs every check that any level runs.
  return verdict.reports.FULL_TRANSITIVE.checks.flatMap((check) => {
    const other = verdict.previous[check.previousIndex];
    const [reader, writer] = check.direction === "backward" ? [verdict.name, other] : [other, verdict.name];
    return check.issues.map((issue) => ({candidate: verdict.name, other, direction: check.direction, reading: `${reader} reads ${writer} data`, issue}));
  });
}

/** A level's verdict in a few words: which readings fail. */
export function verdictSummary(verdict: CandidateVerdicts, level: CompatibilityLevel): {compatible: boolean; text: string} {
  if (!verdict.ok) return {compatible: false, text: "—"};
  const report = verdict.reports[level];
  if (level === "NONE") return {compatible: true, text: "no check"};
  const failed = report.checks.filter((c) => !c.compatible);
  if (failed.length === 0) return {compatible: true, text: "accepted"};
  const readings = failed.map((c) => {
    const other = verdict.previous[c.previousIndex];
    return c.direction === "backward" ? `${verdict.name} can't read ${other}` : `${other} can't read ${verdict.name}`;
  });
  return {compatible: false, text: `refused: ${readings.join(", ")}`};
}

/** One POST /subjects/orders-value/versions and its answer. */
export type Registration =
  | {name: string; ok: true; id: number; version: number; created: boolean}
  | {name: string; ok: false; message: string; issues: (Incompatibility & {version: number; direction: "backward" | "forward"})[]};

/** A fresh registry at `level` for the subject, with the versions registered in order (blank and invalid ones skipped). */
export function registerVersions(versions: readonly Version[], level: CompatibilityLevel): {registry: SchemaRegistry; registrations: Registration[]} {
  const registry = new SchemaRegistry({compatibility: "BACKWARD"});
  registry.setCompatibility(level, SUBJECT);
  const registrations: Registration[] = [];
  for (const v of versions) {
    if (v.blank) continue;
    if (!v.parsed.ok) {
      registrations.push({name: v.name, ok: false, message: `not sent: ${describeSchemaError(v.parsed.error)}`, issues: []});
      continue;
    }
    try {
      registrations.push({name: v.name, ok: true, ...registry.register(SUBJECT, v.parsed.type)});
    } catch (error) {
      if (error instanceof IncompatibleSchemaError) registrations.push({name: v.name, ok: false, message: `409 Conflict: incompatible at ${error.report.level}`, issues: error.issues});
      else if (error instanceof SchemaRegistryError) registrations.push({name: v.name, ok: false, message: error.message, issues: []});
      else throw error;
    }
  }
  return {registry, registrations};
}

/** The registry's subjects and versions as table rows. */
export function registryRows(registry: SchemaRegistry, registrations: readonly Registration[]) {
  return registry.allVersions().map((v) => {
    const from = registrations.find((r) => r.ok && r.id === v.id && r.version === v.version);
    const fields = (v.schema as AvroType & {fields?: {name: string}[]}).fields;
    return {subject: v.subject, version: v.version, id: v.id, "from the editor": from?.name ?? "", fields: fields ? fields.map((f) => f.name).join(", ") : v.schema.typeName};
  });
}

/**
 * A value that fits `type`, the same on every run (the byte inspector's and the readers' starting
 * value): a record field takes its default when it has one, a string field a short word made from
 * its name ("order-482" for `orderId`), a number a small one; anything else comes from sampleValue.
 */
export function exampleValue(type: AvroType, seed = 7): unknown {
  const random = createRandom(seed);
  const fields = (type as AvroType & {fields?: {name: string; type: AvroType; defaultValue(): unknown}[]}).fields;
  if (!fields) return sampleValue(type, random);
  return Object.fromEntries(
    fields.map((f) => {
      const fallback = f.defaultValue();
      if (fallback !== undefined) return [f.name, fallback];
      switch (f.type.typeName) {
        case "string":
          return [f.name, `${f.name.replace(/Id$/, "").toLowerCase()}-${100 + random.int(900)}`];
        case "int":
        case "long":
          return [f.name, 1 + random.int(9)];
        case "float":
        case "double":
          return [f.name, (100 + random.int(9900)) / 100];
        default:
          return [f.name, sampleValue(f.type, random)];
      }
    })
  );
}

/** One record written with `writer` and read with `reader`: what the reader gets, or why it cannot. */
export interface Reading {
  writer: string;
  reader: string;
  rule: string;
  written: unknown;
  read?: unknown;
  error?: string;
}

/**
 * Correction 1 made visible: a record of the old schema read by the new one (BACKWARD: a field
 * it lacks takes the reader's default) and a record of the new schema read by the old one
 * (FORWARD: the field the old reader does not know is skipped).
 */
export function readBothWays(oldVersion: Version, newVersion: Version): Reading[] | {error: string} {
  if (oldVersion.blank || newVersion.blank) return {error: `${oldVersion.blank ? oldVersion.name : newVersion.name} is empty`};
  for (const v of [oldVersion, newVersion]) if (!v.parsed.ok) return {error: `${v.name} is not a valid schema: ${describeSchemaError(v.parsed.error)}`};
  const types: Record<string, AvroType> = {
    [oldVersion.name]: (oldVersion.parsed as Extract<ParsedSchema, {ok: true}>).type,
    [newVersion.name]: (newVersion.parsed as Extract<ParsedSchema, {ok: true}>).type
  };
  const ids: Record<string, number> = {[oldVersion.name]: 1, [newVersion.name]: 2};
  const byId = (id: number) => types[id === 1 ? oldVersion.name : newVersion.name];
  const read = (writer: string, reader: string, rule: string): Reading => {
    let written: unknown;
    try {
      // Inside the try: a schema no finite value fits has no record to write (SampleValueError).
      written = exampleValue(types[writer]);
      const bytes = encodeWire(ids[writer], types[writer], written);
      return {writer, reader, rule, written, read: decodeWire(bytes, byId, types[reader]).value};
    } catch (error) {
      return {writer, reader, rule, written, error: (error as Error).message};
    }
  };
  return [
    read(oldVersion.name, newVersion.name, "BACKWARD: the new reader reads old data"),
    read(newVersion.name, oldVersion.name, "FORWARD: the old reader reads new data")
  ];
}

/** Which side is upgraded to v2 first in the deploy-order experiment. */
export type DeployOrder = "consumers-first" | "producers-first" | "together";

export interface DeployRunOptions {
  order: DeployOrder;
  /** The registry's level; "auto": the strictest level the change passes, as a team would set it. */
  level: CompatibilityLevel | "auto";
  seed?: number;
}

export const DEPLOY_TIMES = {first: 15_000, second: 35_000, duration: 60_000, bucket: 2_500, interval: 100, lag: 1_000};

/** The level a registry would need for v1 → v2: FULL, BACKWARD, FORWARD or NONE. */
export function levelOfChange(v1: AvroType, v2: AvroType): CompatibilityLevel {
  return levelFrom(checkReadable(v2, v1).compatible, checkReadable(v1, v2).compatible);
}

function levelFrom(backward: boolean, forward: boolean): CompatibilityLevel {
  return backward && forward ? "FULL" : backward ? "BACKWARD" : forward ? "FORWARD" : "NONE";
}

export interface DeployRun {
  level: CompatibilityLevel;
  change: CompatibilityLevel;
  steps: {role: "producer" | "consumer"; at: number; version: number}[];
  buckets: DeployBucket[];
  totals: Omit<DeployBucket, "start" | "end">;
  failures: {reason: string; count: number; firstAt: number}[];
}

/** Producers and consumers move from v1 to v2 in the chosen order; every record reads or fails. */
export async function runDeploy(v1: AvroType, v2: AvroType, {order, level, seed = 1}: DeployRunOptions): Promise<DeployRun> {
  const {first, second, duration, bucket, interval, lag} = DEPLOY_TIMES;
  const change = levelOfChange(v1, v2);
  const registryLevel = level === "auto" ? change : level;
  const producerAt = order === "producers-first" ? first : order === "consumers-first" ? second : first;
  const consumerAt = order === "consumers-first" ? first : order === "producers-first" ? second : first;
  const producer: DeployStep[] = [{at: 0, version: 1}, {at: producerAt, version: 2}];
  const consumer: DeployStep[] = [{at: 0, version: 1}, {at: consumerAt, version: 2}];
  const run = await runDeployOrder({schemas: [v1, v2], producer, consumer, compatibility: registryLevel, duration, bucket, interval, lag, seed});
  return {
    level: registryLevel,
    change,
    steps: [{role: "producer", at: producerAt, version: 2}, {role: "consumer", at: consumerAt, version: 2}],
    buckets: run.buckets,
    totals: run.totals,
    failures: run.failures
  };
}

/** What the byte inspector shows: the framed bytes cut into regions, or what is wrong. */
export type Inspection =
  | {ok: true; schemaId: number; bytes: Uint8Array; regions: WireRegion[]}
  | {ok: false; stage: "schema" | "json" | "value" | "id"; message: string; problems?: ValueProblem[]};

/** Encodes the reader's value (JSON text) with a version's schema under its registry id. */
export function inspectValue(version: Version, valueText: string, schemaId: number | undefined): Inspection {
  if (version.blank) return {ok: false, stage: "schema", message: `${version.name} is empty: load the original versions or write a schema`};
  if (!version.parsed.ok) return {ok: false, stage: "schema", message: `${version.name} is not a valid schema: ${describeSchemaError(version.parsed.error)}`};
  if (schemaId === undefined) {
    return {ok: false, stage: "id", message: `${version.name} is not registered (the registry above refused it), so the serializer gets no schema id and the producer's send fails`};
  }
  const type = version.parsed.type;
  let value: unknown;
  try {
    value = JSON.parse(valueText);
  } catch (error) {
    return {ok: false, stage: "json", message: `Not valid JSON: ${(error as Error).message}`};
  }
  const problems = findValueProblems(type, value);
  if (problems.length > 0) {
    return {ok: false, stage: "value", message: `This value does not fit ${version.name}: the serializer refuses it before anything is sent.`, problems};
  }
  const bytes = encodeWire(schemaId, type, value);
  return {ok: true, schemaId, bytes, regions: inspectWire(bytes, () => type)};
}

/** How Avro wrote a region: the rule behind its bytes (Avro specification, "Binary Encoding"). */
export function encodingNote(region: WireRegion): string {
  if (region.kind === "magic") return "always 0x00: Confluent's wire format, version 0";
  if (region.kind === "schema-id") return `the registry's id ${region.value} as a 4-byte big-endian integer; the consumer fetches the writer's schema by it`;
  const type = region.type ?? "";
  const n = region.end - region.start;
  if (type === "null") return "null: no bytes at all";
  if (type === "boolean") return "one byte, 0 or 1";
  if (type === "int" || type === "long") return `zig-zag varint: ${region.value} → ${zigzag(Number(region.value))}, 7 bits a byte`;
  if (type === "float") return "4 bytes, IEEE 754, little-endian";
  if (type === "double") return "8 bytes, IEEE 754, little-endian";
  if (type === "string" || type === "bytes") {
    const prefix = varintLength(n);
    return `length ${n - prefix} as a zig-zag varint (hex ${region.hex.split(" ").slice(0, prefix).join(" ")}), then the ${type === "string" ? "UTF-8 " : ""}bytes`;
  }
  if (type.startsWith("enum")) return `the symbol's index as a zig-zag varint (no name on the wire)`;
  if (type.startsWith("[")) return "the union branch's index as a zig-zag varint, then the branch's value";
  if (type.startsWith("record")) return "its fields back to back, in schema order";
  if (type.startsWith("array") || type.startsWith("map")) return "blocks: an item count, the items, then 0";
  if (type.startsWith("fixed")) return "exactly the fixed size, no length";
  return "";
}

function zigzag(n: number): number {
  return n >= 0 ? 2 * n : -2 * n - 1;
}

/** Bytes a length prefix takes, for a region of `total` bytes that is prefix + payload. */
function varintLength(total: number): number {
  for (let k = 1; k < 10; k++) if (zigzag(total - k) < 2 ** (7 * k)) return k;
  return 10;
}

/** The schema files are valid JSON and valid Avro, else an Error naming the file, the position and the reason. */
export function checkSchemaFiles(files: readonly {file: string; text: string}[]): void {
  const problems = files.flatMap(({file, text}) => {
    const parsed = parseSchemaText(text);
    return parsed.ok ? [] : [`${file}: ${describeSchemaError(parsed.error)}`];
  });
  if (problems.length > 0) throw new Error(`invalid schema file${problems.length > 1 ? "s" : ""}:\n  ${problems.join("\n  ")}`);
}

/** One example's verdict against v1, computed by the checker (the page's table of rules). */
export interface ExampleVerdict {
  id: string;
  label: string;
  backward: boolean;
  forward: boolean;
  /** FULL, BACKWARD, FORWARD or NONE: the strictest level that accepts the change. */
  level: CompatibilityLevel;
  /** The first reason of each failing direction. */
  why: string;
}

export function exampleVerdicts(v1Text: string, examples: readonly SchemaExample[]): ExampleVerdict[] | {error: string} {
  const v1 = parseSchemaText(v1Text);
  if (!v1.ok) return {error: `v1 is not a valid schema: ${describeSchemaError(v1.error)}`};
  return examples.map(({id, label, text}) => {
    const v2 = parseSchemaText(text);
    if (!v2.ok) return {id, label, backward: false, forward: false, level: "NONE", why: describeSchemaError(v2.error)};
    const backward = checkReadable(v2.type, v1.type);
    const forward = checkReadable(v1.type, v2.type);
    const why = [
      ...backward.issues.slice(0, 1).map((i) => `new reader, old data: ${i.message}`),
      ...forward.issues.slice(0, 1).map((i) => `old reader, new data: ${i.message}`)
    ].join(" · ");
    return {id, label, backward: backward.compatible, forward: forward.compatible, level: levelFrom(backward.compatible, forward.compatible), why};
  });
}

/** v1 and v2 as types for a deploy run, or why there are none. */
export function deployPair(v1Text: string, v2Text: string): {v1: AvroType; v2: AvroType} | {error: string} {
  const [v1, v2] = [v1Text, v2Text].map(parseSchemaText);
  if (!v1.ok) return {error: `v1 is not a valid schema: ${describeSchemaError(v1.error)}`};
  if (!v2.ok) return {error: `v2 is not a valid schema: ${describeSchemaError(v2.error)}`};
  return {v1: v1.type, v2: v2.type};
}

/** A deploy run in one sentence: how many records failed, and the first reason. */
export function deploySummary(run: DeployRun): string {
  const consumed = run.totals.ok + run.totals.failed;
  const parts = [`${run.totals.failed} of ${consumed} records failed to deserialise`];
  if (run.totals.rejected > 0) parts.push(`${run.totals.rejected} were refused at the producer (the registry at ${run.level} rejected v2)`);
  return `${parts.join("; ")}.`;
}
