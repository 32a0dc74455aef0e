// An in-memory schema registry after Confluent Schema Registry's model: subjects hold numbered
// versions, every distinct schema has one global id (shared across subjects), a compatibility
// level applies per subject or globally (default BACKWARD), registering an identical schema
// returns its existing id, an incompatible schema is refused with its reasons (HTTP 409), and
// deletes are soft (a deleted version leaves the compatibility checks; its id still resolves).
import type {AvroType, SchemaInput} from "./avro.js";
import {
  assertCompatibilityLevel,
  checkCompatibility,
  type CompatibilityLevel,
  type CompatibilityReport,
  type Incompatibility
} from "./compatibility.js";
import {toType} from "./parse.js";

/** Confluent's default subject name strategy (TopicNameStrategy): `<topic>-key` / `<topic>-value`. */
export function topicNameStrategy(topic: string, part: "key" | "value" = "value"): string {
  if (part !== "key" && part !== "value") throw new RangeError(`part must be "key" or "value", got ${JSON.stringify(part)}`);
  return `${topic}-${part}`;
}

/** The registry's errors carry Confluent's REST error codes. */
export class SchemaRegistryError extends Error {
  override name = "SchemaRegistryError";
  constructor(message: string, readonly errorCode: number) {
    super(message);
  }
}

export class IncompatibleSchemaError extends SchemaRegistryError {
  override name = "IncompatibleSchemaError";
  constructor(readonly subject: string, readonly report: CompatibilityReport, readonly versions: readonly number[]) {
    const failed = report.checks.filter((c) => !c.compatible);
    const details = failed.flatMap((c) =>
      c.issues.map((i) => `{version ${versions[c.previousIndex]}, ${c.direction}, ${i.kind} at ${i.location}: ${i.message}}`)
    );
    super(
      `Schema being registered is incompatible with an earlier schema for subject "${subject}" ` +
        `(compatibility ${report.level}), details: [${details.join(", ")}]`,
      409
    );
  }

  /** Every reason, with the version it conflicts with and the direction checked. */
  get issues(): (Incompatibility & {version: number; direction: "backward" | "forward"})[] {
    return this.report.checks.flatMap((c) =>
      c.issues.map((i) => ({...i, version: this.versions[c.previousIndex], direction: c.direction}))
    );
  }
}

export interface SchemaVersion {
  subject: string;
  version: number;
  id: number;
  schema: AvroType;
  /** The schema's canonical JSON (the registry's identity of a schema). */
  canonical: string;
  deleted: boolean;
}

export interface RegisterResult {
  id: number;
  version: number;
  /** False when the identical schema was already a version of the subject. */
  created: boolean;
}

export interface SchemaRegistryOptions {
  /** The global compatibility level (Confluent's default: BACKWARD). */
  compatibility?: CompatibilityLevel;
}

export class SchemaRegistry {
  #globalLevel: CompatibilityLevel;
  #subjectLevels = new Map<string, CompatibilityLevel>();
  #subjects = new Map<string, SchemaVersion[]>();
  #byId = new Map<number, AvroType>();
  #idByCanonical = new Map<string, number>();
  #nextId = 1;

  constructor({compatibility = "BACKWARD"}: SchemaRegistryOptions = {}) {
    assertCompatibilityLevel(compatibility);
    this.#globalLevel = compatibility;
  }

  /** Registers `schema` under `subject` (POST /subjects/{subject}/versions). */
  register(subject: string, schema: SchemaInput): RegisterResult {
    checkSubject(subject);
    const type = toType(schema);
    const canonical = canonicalForm(type);
    const live = this.#live(subject);
    const existing = live.find((v) => v.canonical === canonical);
    if (existing) return {id: existing.id, version: existing.version, created: false};

    const report = checkCompatibility(this.compatibility(subject), type, live.map((v) => v.schema));
    if (!report.compatible) throw new IncompatibleSchemaError(subject, report, live.map((v) => v.version));

    let id = this.#idByCanonical.get(canonical);
    if (id === undefined) {
      id = this.#nextId++;
      this.#idByCanonical.set(canonical, id);
      this.#byId.set(id, type);
    }
    const all = this.#subjects.get(subject) ?? [];
    // Version numbers keep counting past soft-deleted versions.
    const version = (all.at(-1)?.version ?? 0) + 1;
    all.push({subject, version, id, schema: type, canonical, deleted: false});
    this.#subjects.set(subject, all);
    return {id, version, created: true};
  }

  /** The verdict for `schema` against the subject's live versions, without registering it. */
  testCompatibility(subject: string, schema: SchemaInput): CompatibilityReport {
    checkSubject(subject);
    return checkCompatibility(this.compatibility(subject), toType(schema), this.#live(subject).map((v) => v.schema));
  }

  /** The version of `subject` holding `schema`, if any (POST /subjects/{subject}). */
  lookup(subject: string, schema: SchemaInput): SchemaVersion | undefined {
    const canonical = canonicalForm(toType(schema));
    return this.#live(subject).find((v) => v.canonical === canonical);
  }

  /** The schema with a global id (GET /schemas/ids/{id}); soft-deleted schemas still resolve. */
  schemaById(id: number): AvroType {
    const type = this.#byId.get(id);
    if (!type) throw new SchemaRegistryError(`Schema ${id} not found`, 40403);
    return type;
  }

  /** One version of a subject, or its latest live version (GET /subjects/{subject}/versions/{version}). */
  getVersion(subject: string, version: number | "latest" = "latest"): SchemaVersion {
    const live = this.#live(subject);
    if (!this.#subjects.has(subject) || live.length === 0) throw new SchemaRegistryError(`Subject '${subject}' not found.`, 40401);
    const found = version === "latest" ? live.at(-1) : live.find((v) => v.version === version);
    if (!found) throw new SchemaRegistryError(`Version ${version} not found.`, 40402);
    return found;
  }

  /** The live version numbers of a subject. */
  versions(subject: string): number[] {
    return this.#live(subject).map((v) => v.version);
  }

  /** Subjects with at least one live version. */
  subjects(): string[] {
    return [...this.#subjects.keys()].filter((s) => this.#live(s).length > 0);
  }

  /** Every version ever registered, deleted ones included, for the page's table. */
  allVersions(): SchemaVersion[] {
    return [...this.#subjects.values()].flat();
  }

  /** The level in force for a subject (its own, else the global one), or the global level. */
  compatibility(subject?: string): CompatibilityLevel {
    return (subject !== undefined && this.#subjectLevels.get(subject)) || this.#globalLevel;
  }

  /** Sets the level of one subject, or the global level (PUT /config[/{subject}]). */
  setCompatibility(level: CompatibilityLevel, subject?: string): void {
    assertCompatibilityLevel(level);
    if (subject === undefined) this.#globalLevel = level;
    else (checkSubject(subject), this.#subjectLevels.set(subject, level));
  }

  /** Drops a subject's own level, so the global level applies again (DELETE /config/{subject}). */
  clearCompatibility(subject: string): void {
    this.#subjectLevels.delete(subject);
  }

  /** Soft-deletes one version (DELETE /subjects/{subject}/versions/{version}); returns its number. */
  deleteVersion(subject: string, version: number | "latest"): number {
    const found = this.getVersion(subject, version);
    found.deleted = true;
    return found.version;
  }

  /** Soft-deletes every version of a subject (DELETE /subjects/{subject}); returns their numbers. */
  deleteSubject(subject: string): number[] {
    const live = this.#live(subject);
    if (live.length === 0) throw new SchemaRegistryError(`Subject '${subject}' not found.`, 40401);
    for (const v of live) v.deleted = true;
    return live.map((v) => v.version);
  }

  #live(subject: string): SchemaVersion[] {
    return (this.#subjects.get(subject) ?? []).filter((v) => !v.deleted);
  }
}

/** The registry's identity of a schema: avsc's full JSON form (defaults, aliases, docs included), independent of whitespace and key order. */
export function canonicalForm(type: AvroType): string {
  return JSON.stringify(type.schema({exportAttrs: true}));
}

function checkSubject(subject: string): void {
  if (typeof subject !== "string" || subject.length === 0) {
    throw new TypeError(`subject must be a non-empty string such as "orders-value", got ${JSON.stringify(subject)}`);
  }
}
