// The Avro serializer/deserializer pair a Kafka client plugs in (after Confluent's
// KafkaAvroSerializer/KafkaAvroDeserializer), and a deploy-order experiment: producers and
// consumers move from schema v1 to v2 to v3 at chosen times, and every record either reads or
// fails, which shows why BACKWARD changes roll out consumers first and FORWARD ones producers first.
import {createSimulation, type Random, type Simulation} from "../sim/index.js";
import {allocAvroBuffer, type AvroType, type SchemaInput} from "./avro.js";
import {assertCompatibilityLevel, type CompatibilityLevel} from "./compatibility.js";
import {toType} from "./parse.js";
import {SchemaRegistry, SchemaRegistryError, topicNameStrategy} from "./registry.js";
import {decodeWire, encodeWire, WireFormatError} from "./wire.js";

/** A serializer: null stays null (a Kafka tombstone), anything else becomes framed Avro bytes. */
export interface AvroSerializer {
  (value: null): null;
  (value: unknown): Uint8Array;
}

export interface AvroSerializerOptions {
  subject: string;
  schema: SchemaInput;
  /**
   * Register the schema on first use (Confluent's `auto.register.schemas`, default true); if
   * false, the schema must already be a version of the subject.
   */
  autoRegister?: boolean;
}

/**
 * Returns `(value) => bytes`. The schema's id is fetched (or registered) on the first call and
 * kept, as the Confluent serializer caches it; an incompatible schema fails that first call with
 * the registry's IncompatibleSchemaError.
 */
export function createAvroSerializer(registry: SchemaRegistry, {subject, schema, autoRegister = true}: AvroSerializerOptions): AvroSerializer {
  const type = toType(schema);
  let schemaId: number | undefined;
  return ((value: unknown) => {
    if (value === null) return null;
    if (schemaId === undefined) {
      if (autoRegister) schemaId = registry.register(subject, type).id;
      else {
        const found = registry.lookup(subject, type);
        if (!found) throw new SchemaRegistryError(`Schema not found in subject "${subject}" (autoRegister is false: register it first)`, 40403);
        schemaId = found.id;
      }
    }
    return encodeWire(schemaId, type, value);
  }) as AvroSerializer;
}

export interface AvroDeserializerOptions {
  /** The consumer's own schema; the writer's schema is resolved to it. Default: read as written. */
  readerSchema?: SchemaInput;
}

/** Returns `(bytes) => value`: the writer's schema comes from the registry by the id in the bytes. */
export function createAvroDeserializer(registry: SchemaRegistry, {readerSchema}: AvroDeserializerOptions = {}): (bytes: unknown) => unknown {
  const reader = readerSchema === undefined ? undefined : toType(readerSchema);
  const lookup = (id: number) => registry.schemaById(id);
  return (bytes) => (bytes === null ? null : decodeWire(bytes as Uint8Array, lookup, reader).value);
}

/** Deeper than this, or past this many values drawn, a sample stops growing: arrays and maps come
 * out empty and a union takes its shallowest branch (twenty optional fields of a record's own type
 * would otherwise draw some 10^10 values by depth 10). */
const SAMPLE_DEPTH = 10;
const SAMPLE_VALUES = 1000;
/** The largest fixed a sample fills: a schema may declare one of 2 GB, and filling it froze the tab until it ran out of memory. */
export const MAX_SAMPLE_FIXED = 65_536;

export class SampleValueError extends Error {
  override name = "SampleValueError";
}

type Fields = {fields: {name: string; type: AvroType}[]};
const isRecord = (t: AvroType): t is AvroType & Fields => t.typeName === "record" || t.typeName === "error";
const branchesOf = (t: AvroType): AvroType[] | null => (t.typeName.startsWith("union") ? ((t as AvroType & {types: AvroType[]}).types) : null);
/** Records and unions hold other types in their value; arrays and maps may be empty. */
const holds = (t: AvroType): AvroType[] => (isRecord(t) ? t.fields.map((f) => f.type) : branchesOf(t) ?? []);

/**
 * The height of each type's shallowest value a sample can draw: 0 for a leaf, an array or a map
 * (they may be empty), one more than its highest field for a record, its shallowest branch for a
 * union; Infinity where every value holds itself forever or a fixed too big to draw. Records start
 * at Infinity and come down until nothing changes (a least fixed point over the schema's cycles).
 */
function heights(root: AvroType): (t: AvroType) => number {
  const known = heightsOf.get(root);
  if (known) return known;
  const records: (AvroType & Fields)[] = [];
  const seen = new Set<AvroType>();
  const visit = (t: AvroType): void => {
    if (seen.has(t)) return;
    seen.add(t);
    if (isRecord(t)) records.push(t);
    const {itemsType, valuesType} = t as AvroType & {itemsType?: AvroType; valuesType?: AvroType};
    for (const child of [...holds(t), itemsType ?? valuesType].filter((c) => c !== undefined)) visit(child);
  };
  visit(root);
  const record = new Map<AvroType, number>(records.map((r) => [r, Infinity]));
  const height = (t: AvroType): number => {
    if (isRecord(t)) return record.get(t)!;
    const branches = branchesOf(t);
    if (branches) return Math.min(...branches.map(height));
    return t.typeName === "fixed" && (t as AvroType & {size: number}).size > MAX_SAMPLE_FIXED ? Infinity : 0;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of records) {
      const h = 1 + Math.max(0, ...r.fields.map((f) => height(f.type)));
      if (h < record.get(r)!) (record.set(r, h), (changed = true));
    }
  }
  heightsOf.set(root, height);
  return height;
}

/** heights() by schema: a deploy-order run samples hundreds of values of one schema, and types never change. */
const heightsOf = new WeakMap<AvroType, (t: AvroType) => number>();

/** Why `type` has no value a sample can draw: the record that holds itself, or the fixed too big. */
function noValue(type: AvroType, height: (t: AvroType) => number): SampleValueError {
  const path: AvroType[] = [];
  for (let t = type, via = "value"; ; ) {
    if (t.typeName === "fixed") {
      const {name, size} = t as AvroType & {name: string; size: number};
      return new SampleValueError(`no sample value: fixed ${name} is ${size.toLocaleString("en-US")} bytes, and a sample fills at most ${MAX_SAMPLE_FIXED.toLocaleString("en-US")}`);
    }
    if (isRecord(t)) {
      const {name} = t as AvroType & {name: string};
      if (path.includes(t)) return new SampleValueError(`no finite value fits this schema: every ${name} holds another ${name} (through field ${JSON.stringify(via)}), forever. Make that field a union with "null", or an array`);
      path.push(t);
      const field = t.fields.find((f) => height(f.type) === Infinity)!;
      [t, via] = [field.type, field.name];
    } else t = holds(t).find((b) => height(b) === Infinity)!;
  }
}

/**
 * A value that fits `schema`, drawn from `random` (the simulation's, so runs replay). A union
 * draws only among branches that have a value; a recursive schema (a record holding arrays or
 * optional fields of its own type) is cut off past SAMPLE_DEPTH by taking each union's shallowest
 * branch. A schema none of whose values is finite says why.
 */
export function sampleValue(schema: SchemaInput, random: Random): unknown {
  const root = toType(schema);
  const height = heights(root);
  if (height(root) === Infinity) throw noValue(root, height);
  // Of the branches that end, the shallowest; among equals, null, then a leaf, then an (empty) array or map, then a record.
  const kind = (b: AvroType) => (b.typeName === "null" ? 0 : b.typeName === "array" || b.typeName === "map" ? 2 : isRecord(b) ? 3 : 1);
  const shallowest = (branches: AvroType[]) => branches.reduce((best, b) => (height(b) < height(best) || (height(b) === height(best) && kind(b) < kind(best)) ? b : best));
  let drawn = 0;
  const sample = (type: AvroType, name: string, depth: number): unknown => {
    const t = type as AvroType & Record<string, any>;
    const shrinking = depth >= SAMPLE_DEPTH || ++drawn > SAMPLE_VALUES;
    const inner = (child: AvroType, childName: string) => sample(child, childName, depth + 1);
    // An array or map whose items have no value can only be empty.
    const count = (items: AvroType) => (shrinking || height(items) === Infinity ? 0 : random.int(3));
    switch (t.typeName) {
      case "null":
        return null;
      case "boolean":
        return random.chance(0.5);
      case "int":
        return random.int(1000);
      case "long":
        return random.int(1_000_000);
      case "float":
      case "double":
        return random.int(100_000) / 100;
      case "string":
        return `${name}-${random.int(1000)}`;
      case "bytes":
      case "fixed": {
        const bytes = allocAvroBuffer(t.typeName === "fixed" ? t.size : random.int(4));
        for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(256);
        return bytes;
      }
      case "enum":
        return random.pick(t.symbols as string[]);
      case "array":
        return Array.from({length: count(t.itemsType)}, () => inner(t.itemsType, name));
      case "map":
        return Object.fromEntries(Array.from({length: count(t.valuesType)}, (_, i) => [`${name}${i}`, inner(t.valuesType, name)]));
      case "record":
      case "error":
        return Object.fromEntries(t.fields.map((f: {name: string; type: AvroType}) => [f.name, inner(f.type, f.name)]));
      default: {
        // Unions: unwrapped ones take the branch value as is; wrapped ones {branchName: value}.
        const ending = (t.types as AvroType[]).filter((b) => height(b) < Infinity);
        const branch = shrinking ? shallowest(ending) : random.pick(ending);
        const value = sample(branch, name, depth);
        return t.typeName === "union:wrapped" && branch.typeName !== "null" ? {[branch.branchName!]: value} : value;
      }
    }
  };
  return sample(root, "value", 0);
}

/** From time `at` (virtual ms), the side runs schema version `version` (1 = the first schema). */
export interface DeployStep {
  at: number;
  version: number;
}

export interface DeployOrderOptions {
  /** The schema versions, v1 first. */
  schemas: readonly SchemaInput[];
  /** When producers move to which version; the first step should be at 0. */
  producer: readonly DeployStep[];
  /** When consumers move to which version. */
  consumer: readonly DeployStep[];
  /** The registry's compatibility level for the subject (default BACKWARD). */
  compatibility?: CompatibilityLevel;
  topic?: string;
  /** Length of the run in virtual ms (default 60,000). */
  duration?: number;
  /** One record every `interval` ms (default 100). */
  interval?: number;
  /** From produce to consume, in ms (default 1,000). */
  lag?: number;
  /** Width of a chart bucket in ms (default 5,000). */
  bucket?: number;
  seed?: number | string;
  /** The record a producer at `version` sends; default: sampleValue of that schema. */
  value?: (version: number, random: Random) => unknown;
}

export interface DeployBucket {
  start: number;
  end: number;
  /** Records produced in the bucket. */
  produced: number;
  /** Records the producer could not send: its schema was refused by the registry, or did not serialize. */
  rejected: number;
  /** Records consumed (by consume time) that deserialized. */
  ok: number;
  /** Records consumed that failed to deserialize. */
  failed: number;
}

export interface DeployOrderResult {
  buckets: DeployBucket[];
  totals: Omit<DeployBucket, "start" | "end">;
  /** The first reason of each kind of failure, with its count. */
  failures: {reason: string; count: number; firstAt: number}[];
  registry: SchemaRegistry;
  sim: Simulation;
}

/**
 * Runs producers and consumers through their deploy steps on a simulated topic. Each consumer
 * reads with its own version's schema (as a consumer with generated classes does), so a record
 * fails exactly when the consumer's schema cannot read the producer's. Trace kinds:
 * schema.deploy, schema.register, schema.produce, schema.consume.
 */
export async function runDeployOrder(options: DeployOrderOptions): Promise<DeployOrderResult> {
  const {
    schemas,
    compatibility = "BACKWARD",
    topic = "orders",
    duration = 60_000,
    interval = 100,
    lag = 1_000,
    bucket = 5_000,
    seed = 1
  } = options;
  if (schemas.length === 0) throw new RangeError("schemas must hold at least one schema (v1)");
  assertCompatibilityLevel(compatibility);
  for (const [name, value] of Object.entries({duration, interval, lag, bucket})) {
    if (!Number.isFinite(value) || value < 0 || (name !== "lag" && value === 0)) throw new RangeError(`${name} must be a positive number of ms, got ${value}`);
  }
  const steps = (role: "producer" | "consumer") => {
    const list = [...options[role]].sort((a, b) => a.at - b.at);
    if (list.length === 0 || list[0].at !== 0) throw new RangeError(`${role} needs a first deploy step at 0 ms, e.g. {at: 0, version: 1}`);
    for (const s of list) {
      if (!Number.isInteger(s.version) || s.version < 1 || s.version > schemas.length) {
        throw new RangeError(`${role} deploy version must be 1..${schemas.length} (one per schema), got ${s.version}`);
      }
      if (!Number.isFinite(s.at) || s.at < 0) throw new RangeError(`${role} deploy time must be >= 0 ms, got ${s.at}`);
    }
    return list;
  };
  const producerSteps = steps("producer");
  const consumerSteps = steps("consumer");
  const types = schemas.map((s) => toType(s));

  const sim = createSimulation({seed});
  const registry = new SchemaRegistry({compatibility});
  const subject = topicNameStrategy(topic, "value");
  const makeValue = options.value ?? ((version: number, random: Random) => sampleValue(types[version - 1], random));

  const bucketCount = Math.max(1, Math.ceil((duration + lag) / bucket));
  const buckets: DeployBucket[] = Array.from({length: bucketCount}, (_, i) => ({start: i * bucket, end: (i + 1) * bucket, produced: 0, rejected: 0, ok: 0, failed: 0}));
  const at = (time: number) => buckets[Math.min(bucketCount - 1, Math.floor(time / bucket))];
  const failures = new Map<string, {reason: string; count: number; firstAt: number}>();
  const fail = (reason: string) => {
    const entry = failures.get(reason);
    if (entry) entry.count++;
    else failures.set(reason, {reason, count: 1, firstAt: sim.now});
  };

  let producerVersion = 0;
  let serialize!: AvroSerializer;
  let consumerVersion = 0;
  let deserialize!: (bytes: unknown) => unknown;
  const deployProducer = (version: number) => {
    producerVersion = version;
    serialize = createAvroSerializer(registry, {subject, schema: types[version - 1]});
    sim.record("schema.deploy", {role: "producer", version});
    // The serializer registers on first use; doing it here puts the registry's answer in the trace.
    try {
      const {id, created} = registry.register(subject, types[version - 1]);
      sim.record("schema.register", {subject, version, ok: true, schemaId: id, created});
    } catch (error) {
      if (!(error instanceof SchemaRegistryError)) throw error;
      sim.record("schema.register", {subject, version, ok: false, error: error.message});
    }
  };
  const deployConsumer = (version: number) => {
    consumerVersion = version;
    deserialize = createAvroDeserializer(registry, {readerSchema: types[version - 1]});
    sim.record("schema.deploy", {role: "consumer", version});
  };
  for (const s of producerSteps) s.at === 0 ? deployProducer(s.version) : sim.schedule(s.at, () => deployProducer(s.version));
  for (const s of consumerSteps) s.at === 0 ? deployConsumer(s.version) : sim.schedule(s.at, () => deployConsumer(s.version));

  const produce = () => {
    const version = producerVersion;
    at(sim.now).produced++;
    let bytes: Uint8Array;
    try {
      bytes = serialize(makeValue(version, sim.random));
    } catch (error) {
      at(sim.now).rejected++;
      const reason = `producer v${version}: ${(error as Error).message}`;
      fail(reason);
      sim.record("schema.produce", {version, ok: false, error: (error as Error).message});
      return;
    }
    sim.record("schema.produce", {version, ok: true, bytes: bytes.length});
    sim.schedule(lag, () => {
      const readerVersion = consumerVersion;
      try {
        deserialize(bytes);
        at(sim.now).ok++;
        sim.record("schema.consume", {writerVersion: version, readerVersion, ok: true});
      } catch (error) {
        if (!(error instanceof WireFormatError) && !(error instanceof SchemaRegistryError)) throw error;
        at(sim.now).failed++;
        fail(`consumer v${readerVersion} reading v${version}: ${error.message}`);
        sim.record("schema.consume", {writerVersion: version, readerVersion, ok: false, error: error.message});
      }
    });
  };
  const producing = sim.every(interval, produce);
  await sim.advance(duration);
  sim.cancel(producing);
  await sim.runUntilIdle();

  const totals = buckets.reduce(
    (t, b) => ({produced: t.produced + b.produced, rejected: t.rejected + b.rejected, ok: t.ok + b.ok, failed: t.failed + b.failed}),
    {produced: 0, rejected: 0, ok: 0, failed: 0}
  );
  return {buckets, totals, failures: [...failures.values()], registry, sim};
}
