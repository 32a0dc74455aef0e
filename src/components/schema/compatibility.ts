// Can a reader schema read data written with a writer schema? Avro schema resolution as the Avro
// specification ("Schema Resolution") and Java's org.apache.avro.SchemaCompatibility define it,
// listing every reason, each with the field it concerns. Registries built on the Java checker
// (Confluent's among them) use the same incompatibility types and JSON-pointer locations.
import type {AvroType, SchemaInput} from "./avro.js";
import {describeType, toType} from "./parse.js";

/** Java's SchemaCompatibility.SchemaIncompatibilityType names. */
export type IncompatibilityKind =
  | "NAME_MISMATCH"
  | "FIXED_SIZE_MISMATCH"
  | "MISSING_ENUM_SYMBOLS"
  | "READER_FIELD_MISSING_DEFAULT_VALUE"
  | "TYPE_MISMATCH"
  | "MISSING_UNION_BRANCH";

export interface Incompatibility {
  kind: IncompatibilityKind;
  /** The field it concerns, dotted from the top record ("customer.email", "items[]", "tags{}"); "" for the top. */
  path: string;
  /** JSON pointer into the reader schema, as Java and Confluent report it ("/fields/1/type"). */
  location: string;
  message: string;
}

export interface ReadabilityResult {
  compatible: boolean;
  issues: Incompatibility[];
}

type Named = AvroType & {name: string; aliases?: string[]};
type RecordT = Named & {fields: {name: string; aliases: string[]; type: AvroType; defaultValue(): unknown}[]};
type EnumT = Named & {symbols: string[]; default?: string};
type FixedT = Named & {size: number};
type ArrayT = AvroType & {itemsType: AvroType};
type MapT = AvroType & {valuesType: AvroType};
type UnionT = AvroType & {types: AvroType[]};

// Avro's promotions (specification, "Schema Resolution"): the writer's type each reader type accepts.
const PROMOTIONS: Record<string, readonly string[]> = {
  long: ["int"],
  float: ["int", "long"],
  double: ["int", "long", "float"],
  string: ["bytes"],
  bytes: ["string"]
};
const PROMOTABLE = ["int", "long", "float", "double", "string", "bytes"];

/** Every reason why `reader` cannot read data written with `writer` (none: it can). */
export function checkReadable(reader: SchemaInput, writer: SchemaInput): ReadabilityResult {
  const issues: Incompatibility[] = [];
  const inProgress = new Map<AvroType, Set<AvroType>>();

  const kindOf = (t: AvroType) => (t.typeName.startsWith("union") ? "union" : t.typeName === "error" ? "record" : t.typeName);
  const unqualified = (name: string) => name.slice(name.lastIndexOf(".") + 1);
  const add = (kind: IncompatibilityKind, path: string, location: string, message: string) =>
    issues.push({kind, path, location: location || "/", message});
  const where = (path: string) => (path ? `at "${path}"` : "at the top level");

  // Java's schemaNameEquals: unqualified names equal, or the writer's full name is a reader alias.
  const namesMatch = (r: Named, w: Named, path: string, location: string): boolean => {
    if (unqualified(r.name) === unqualified(w.name) || (r.aliases ?? []).includes(w.name)) return true;
    add("NAME_MISMATCH", path, `${location}/name`,
      `${where(path)} the reader's ${kindOf(r)} is named "${r.name}" and the writer's "${w.name}": ` +
        `names must match (namespaces aside), or the reader must list "${w.name}" in its aliases`);
    return false;
  };

  /** Collects the issues of reading `w` as `r`; returns whether there were none. */
  const check = (r: AvroType, w: AvroType, path: string, location: string): boolean => {
    const before = issues.length;
    const rk = kindOf(r);
    const wk = kindOf(w);

    if (wk === "union") {
      // Every branch the writer may have written must be readable.
      (w as UnionT).types.forEach((branch, i) => {
        if (rk === "union") {
          if (!(r as UnionT).types.some((rb) => quietlyReadable(rb, branch))) {
            add("MISSING_UNION_BRANCH", path, `${location}/${i}`,
              `${where(path)} the writer may write ${describeType(branch)} (branch ${i} of ${describeType(w)}), ` +
                `and no branch of the reader's union ${describeType(r)} can read it`);
          }
        } else {
          check(r, branch, path, location);
        }
      });
      return issues.length === before;
    }
    if (rk === "union") {
      // Some branch of the reader's union must read the writer's type (the spec picks the first match).
      if ((r as UnionT).types.some((rb) => quietlyReadable(rb, w))) return true;
      add("MISSING_UNION_BRANCH", path, location,
        `${where(path)} the writer writes ${describeType(w)} and no branch of the reader's union ${describeType(r)} can read it`);
      return false;
    }
    if (rk !== wk) {
      if (PROMOTIONS[rk]?.includes(wk)) return true;
      add("TYPE_MISMATCH", path, location,
        `${where(path)} the reader expects ${describeType(r)} and the writer wrote ${describeType(w)}` +
          (PROMOTABLE.includes(rk) && PROMOTABLE.includes(wk)
            ? ` (Avro promotes only int→long/float/double, long→float/double, float→double and string↔bytes)`
            : ""));
      return false;
    }
    switch (rk) {
      case "array":
        return check((r as ArrayT).itemsType, (w as ArrayT).itemsType, `${path}[]`, `${location}/items`);
      case "map":
        return check((r as MapT).valuesType, (w as MapT).valuesType, `${path}{}`, `${location}/values`);
      case "fixed": {
        const [rf, wf] = [r as FixedT, w as FixedT];
        namesMatch(rf, wf, path, location);
        if (rf.size !== wf.size) {
          add("FIXED_SIZE_MISMATCH", path, `${location}/size`,
            `${where(path)} the fixed type "${rf.name}" is ${rf.size} bytes in the reader and ${wf.size} bytes in the writer`);
        }
        return issues.length === before;
      }
      case "enum": {
        const [re, we] = [r as EnumT, w as EnumT];
        namesMatch(re, we, path, location);
        const missing = we.symbols.filter((s) => !re.symbols.includes(s));
        // Avro 1.9+: a reader enum default stands in for symbols it does not know.
        if (missing.length > 0 && re.default === undefined) {
          add("MISSING_ENUM_SYMBOLS", path, `${location}/symbols`,
            `${where(path)} the writer's enum "${we.name}" has symbol${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
              `that the reader's enum lacks, and the reader's enum has no "default" symbol to read ${missing.length > 1 ? "them" : "it"} as`);
        }
        return issues.length === before;
      }
      case "record":
        return checkRecord(r as RecordT, w as RecordT, path, location) && issues.length === before;
      default:
        return true; // the same primitive
    }
  };

  const checkRecord = (r: RecordT, w: RecordT, path: string, location: string): boolean => {
    // Recursive schemas: a pair already being checked further up is assumed readable (as Java does).
    let writers = inProgress.get(r);
    if (!writers) inProgress.set(r, (writers = new Set()));
    if (writers.has(w)) return true;
    writers.add(w);
    try {
      return checkFields(r, w, path, location);
    } finally {
      writers.delete(w);
    }
  };

  const checkFields = (r: RecordT, w: RecordT, path: string, location: string): boolean => {
    const before = issues.length;
    namesMatch(r, w, path, location);
    r.fields.forEach((field, i) => {
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      const fieldLocation = `${location}/fields/${i}`;
      // The writer's field of the same name, else one named by a reader alias (a rename).
      const written = w.fields.find((f) => f.name === field.name) ?? w.fields.find((f) => field.aliases.includes(f.name));
      if (written) {
        check(field.type, written.type, fieldPath, `${fieldLocation}/type`);
      } else if (field.defaultValue() === undefined) {
        add("READER_FIELD_MISSING_DEFAULT_VALUE", fieldPath, fieldLocation,
          `the reader's field "${fieldPath}" (${describeType(field.type)}) has no default, and the writer's record ` +
            `"${w.name}" has no field "${field.name}"${field.aliases.length ? ` nor any of its aliases (${field.aliases.join(", ")})` : ""}: ` +
            `there is no value to read into it`);
      }
    });
    return issues.length === before;
  };

  // Union branch matching only asks yes/no; it must not leave the branch's reasons behind.
  const quietlyReadable = (r: AvroType, w: AvroType): boolean => {
    const mark = issues.length;
    const ok = check(r, w, "", "");
    issues.length = mark;
    return ok;
  };

  check(toType(reader), toType(writer), "", "");
  return {compatible: issues.length === 0, issues};
}

/** Whether `reader` can read everything written with `writer`. */
export function canRead(reader: SchemaInput, writer: SchemaInput): boolean {
  return checkReadable(reader, writer).compatible;
}

export const COMPATIBILITY_LEVELS = [
  "NONE",
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE"
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export class InvalidCompatibilityLevelError extends RangeError {
  override name = "InvalidCompatibilityLevelError";
}

export function assertCompatibilityLevel(level: unknown): asserts level is CompatibilityLevel {
  if (!COMPATIBILITY_LEVELS.includes(level as CompatibilityLevel)) {
    throw new InvalidCompatibilityLevelError(
      `invalid compatibility level ${JSON.stringify(level)}: valid values are ${COMPATIBILITY_LEVELS.join(", ")}`
    );
  }
}

/** One directed check behind a verdict. */
export interface CompatibilityCheck {
  /** Index into `previous` (oldest first) of the schema compared with the candidate. */
  previousIndex: number;
  /** "backward": the candidate reads data of the previous schema; "forward": the previous reads the candidate's. */
  direction: "backward" | "forward";
  compatible: boolean;
  issues: Incompatibility[];
}

export interface CompatibilityReport {
  level: CompatibilityLevel;
  compatible: boolean;
  checks: CompatibilityCheck[];
}

/**
 * The verdict of `level` for a candidate schema against the earlier ones (oldest first), with
 * every check and reason. BACKWARD: the new schema reads old data (upgrade consumers first).
 * FORWARD: old schemas read new data (upgrade producers first). FULL: both. Non-transitive
 * levels compare with the latest previous schema only; *_TRANSITIVE with all of them.
 */
export function checkCompatibility(level: CompatibilityLevel, candidate: SchemaInput, previous: readonly SchemaInput[]): CompatibilityReport {
  assertCompatibilityLevel(level);
  const checks: CompatibilityCheck[] = [];
  if (level !== "NONE" && previous.length > 0) {
    const transitive = level.endsWith("_TRANSITIVE");
    const first = transitive ? 0 : previous.length - 1;
    const backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
    const forward = level.startsWith("FORWARD") || level.startsWith("FULL");
    // Newest first, as Confluent reports the conflicting version it met first.
    for (let i = previous.length - 1; i >= first; i--) {
      if (backward) checks.push({previousIndex: i, direction: "backward", ...checkReadable(candidate, previous[i])});
      if (forward) checks.push({previousIndex: i, direction: "forward", ...checkReadable(previous[i], candidate)});
    }
  }
  return {level, compatible: checks.every((c) => c.compatible), checks};
}

/** Whether `candidate` may follow `previous` (oldest first) at `level`. */
export function isCompatible(level: CompatibilityLevel, candidate: SchemaInput, previous: readonly SchemaInput[]): boolean {
  return checkCompatibility(level, candidate, previous).compatible;
}

/** The verdict at every level at once (the page's live verdict table). */
export function verdictsByLevel(candidate: SchemaInput, previous: readonly SchemaInput[]): Record<CompatibilityLevel, CompatibilityReport> {
  return Object.fromEntries(COMPATIBILITY_LEVELS.map((level) => [level, checkCompatibility(level, candidate, previous)])) as Record<
    CompatibilityLevel,
    CompatibilityReport
  >;
}
