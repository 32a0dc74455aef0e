// Confluent's wire format for Avro record values and keys: a magic byte 0x00, the schema's global
// id as a 4-byte big-endian integer, then the Avro binary encoding of the value (no schema, no
// container header). Source: Confluent docs, "Formats, Serializers, and Deserializers", Wire format.
import {allocAvroBuffer, asAvroBuffer, resolverFor, type AvroType, type SchemaInput} from "./avro.js";
import {checkReadable, type Incompatibility} from "./compatibility.js";
import {assertValid, describeType, toType} from "./parse.js";

export const MAGIC_BYTE = 0x00;
/** Magic byte and schema id. */
export const HEADER_SIZE = 5;

export type WireErrorKind =
  | "not-bytes"
  | "too-short"
  | "magic-byte"
  | "schema-id"
  | "unknown-schema"
  | "truncated"
  | "trailing-bytes"
  | "corrupt"
  | "unresolvable";

export class WireFormatError extends Error {
  override name = "WireFormatError";
  /** For "unresolvable": why the reader schema cannot read the writer's (the compatibility reasons). */
  readonly issues: Incompatibility[];
  constructor(readonly kind: WireErrorKind, message: string, issues: Incompatibility[] = []) {
    super(message);
    this.issues = issues;
  }
}

// Values are encoded into one growing scratch buffer, then copied out once: the same work as
// avsc's own toBuffer (which encodes into a shared buffer and copies), plus the 5 header bytes.
let scratch = allocAvroBuffer(4096);
let scratchBytes = plainView(scratch);

function plainView(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Frames `value`, encoded with `schema`, as `0x00 | schemaId (int32 BE) | Avro binary`. */
export function encodeWire(schemaId: number, schema: SchemaInput, value: unknown): Uint8Array {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new WireFormatError("schema-id", `schemaId must be an integer from 0 to 2147483647 (a registry id), got ${schemaId}`);
  }
  const type = toType(schema);
  let end: number;
  for (;;) {
    try {
      end = type.encode(value, scratch, HEADER_SIZE);
    } catch (error) {
      assertValid(type, value); // names the field and value when the value does not fit
      throw error;
    }
    if (end >= 0) break;
    // avsc returns minus the number of missing bytes when the buffer is too small.
    let size = scratch.length * 2;
    while (size < scratch.length - end) size *= 2;
    scratch = allocAvroBuffer(size);
    scratchBytes = plainView(scratch);
  }
  scratchBytes[0] = MAGIC_BYTE;
  scratchBytes[1] = schemaId >>> 24;
  scratchBytes[2] = (schemaId >>> 16) & 0xff;
  scratchBytes[3] = (schemaId >>> 8) & 0xff;
  scratchBytes[4] = schemaId & 0xff;
  return scratchBytes.slice(0, end);
}

// Decoding reads from a Buffer. Wrapping each Uint8Array in a Buffer view costs more in V8 than
// copying a record's bytes into a reused Buffer, so records up to MAX_COPY bytes are copied.
// Past the copied record the scratch holds zeros (stale bytes of a longer earlier record are
// cleared first), so a truncated body reads zeros, finite and harmless, and shows up as an end
// offset past the record. avsc copies bytes/fixed values out, so nothing aliases the scratch.
const MAX_COPY = 1 << 16;
let decodeScratch = allocAvroBuffer(4096);
let decodeScratchBytes = plainView(decodeScratch); // Uint8Array's set/fill: faster than Buffer's
let staleEnd = 0; // bytes [0, staleEnd) of the scratch may be non-zero

function decodeBody(reader: AvroType, bytes: Uint8Array, resolver: object | undefined): {value: unknown; offset: number} {
  const n = bytes.length;
  if (n > MAX_COPY) return reader.decode(asAvroBuffer(bytes), HEADER_SIZE, resolver as never);
  if (n > decodeScratch.length - 64) {
    decodeScratch = allocAvroBuffer(Math.min(2 * MAX_COPY, 2 * n + 64));
    decodeScratchBytes = plainView(decodeScratch);
    staleEnd = 0;
  }
  if (staleEnd > n) decodeScratchBytes.fill(0, n, staleEnd);
  decodeScratchBytes.set(bytes);
  staleEnd = n;
  return reader.decode(decodeScratch, HEADER_SIZE, resolver as never);
}

/** The schema for an id; may return undefined or throw when the id is unknown. */
export type SchemaLookup = (schemaId: number) => SchemaInput | undefined;

export interface DecodedWire {
  schemaId: number;
  value: unknown;
}

/**
 * Reads a framed value. With `readerSchema`, the writer's schema (found by its id) is resolved
 * to it, as a consumer compiled against its own schema does; otherwise the value is read as written.
 */
export function decodeWire(bytes: Uint8Array, lookup: SchemaLookup, readerSchema?: SchemaInput): DecodedWire {
  const {schemaId, writer} = readHeader(bytes, lookup);
  const reader = readerSchema === undefined ? writer : toType(readerSchema);
  let resolver: object | undefined;
  if (reader !== writer) {
    try {
      resolver = resolverFor(reader, writer);
    } catch (error) {
      const {issues} = checkReadable(reader, writer);
      throw new WireFormatError(
        "unresolvable",
        `the reader schema ${describeType(reader)} cannot read data written with schema id ${schemaId} (${describeType(writer)}): ` +
          (issues.length ? issues.map((i) => i.message).join("; ") : (error as Error).message),
        issues
      );
    }
  }
  let result: {value: unknown; offset: number};
  try {
    result = decodeBody(reader, bytes, resolver);
  } catch (error) {
    throw new WireFormatError("corrupt", `the Avro body does not decode with schema id ${schemaId}: ${(error as Error).message}`);
  }
  if (result.offset < 0 || result.offset > bytes.length) {
    throw new WireFormatError("truncated", `the Avro body ends early: ${bytes.length} bytes do not hold a whole ${describeType(writer)} (schema id ${schemaId})`);
  }
  if (result.offset !== bytes.length) {
    throw new WireFormatError(
      "trailing-bytes",
      `${bytes.length - result.offset} byte(s) left after the value: ${describeType(writer)} (schema id ${schemaId}) ends at byte ${result.offset} of ${bytes.length}`
    );
  }
  return {schemaId, value: result.value};
}

function readHeader(bytes: Uint8Array, lookup: SchemaLookup): {schemaId: number; writer: AvroType} {
  if (!(bytes instanceof Uint8Array)) {
    const got = bytes === null ? "null" : typeof bytes === "string" ? "a string" : typeof bytes;
    throw new WireFormatError("not-bytes", `expected the bytes of a framed Avro value (Uint8Array), got ${got}`);
  }
  if (bytes.length < HEADER_SIZE) {
    throw new WireFormatError(
      "too-short",
      `${bytes.length} byte(s) cannot be a framed Avro value: the header alone (magic byte 0x00 and a 4-byte schema id) is ${HEADER_SIZE} bytes`
    );
  }
  if (bytes[0] !== MAGIC_BYTE) {
    const hint = bytes[0] === 0x7b || bytes[0] === 0x5b ? " (it starts like JSON text: was it written without the Avro serializer?)" : "";
    throw new WireFormatError("magic-byte", `Unknown magic byte! Expected 0x00, found 0x${hex(bytes[0])}${hint}`);
  }
  const schemaId = ((bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4]) >>> 0;
  let schema: SchemaInput | undefined;
  try {
    schema = lookup(schemaId);
  } catch (error) {
    throw new WireFormatError("unknown-schema", `unknown schema id ${schemaId}: ${(error as Error).message}`);
  }
  if (schema === undefined) throw new WireFormatError("unknown-schema", `unknown schema id ${schemaId}: the registry has no schema with this id`);
  return {schemaId, writer: toType(schema)};
}

export interface WireRegion {
  kind: "magic" | "schema-id" | "field" | "body";
  /** Byte range [start, end) in the framed value. */
  start: number;
  end: number;
  /** "magic byte", "schema id 3", the field's path, or the body's type. */
  label: string;
  /** The field's dotted path (fields only). */
  path?: string;
  /** The field's Avro type, as a short description. */
  type?: string;
  value?: unknown;
  /** Nesting depth: fields of a nested record are one deeper than the record's own region. */
  depth: number;
  hex: string;
}

/**
 * The framed bytes cut into annotated regions for a byte inspector: the magic byte, the schema
 * id, then one region per record field (nested records also broken into their fields). Avro
 * writes a record as its fields' encodings back to back, in schema order, so each field's
 * region is the length of its own encoding.
 */
export function inspectWire(bytes: Uint8Array, lookup: SchemaLookup): WireRegion[] {
  const {schemaId, writer} = readHeader(bytes, lookup);
  const {value} = decodeWire(bytes, () => writer);
  const region = (kind: WireRegion["kind"], start: number, end: number, label: string, depth: number, extra: Partial<WireRegion> = {}): WireRegion => ({
    kind,
    start,
    end,
    label,
    depth,
    hex: Array.from(bytes.subarray(start, end), hex).join(" "),
    ...extra
  });
  const regions = [region("magic", 0, 1, "magic byte", 0), region("schema-id", 1, HEADER_SIZE, `schema id ${schemaId}`, 0, {value: schemaId})];
  const walk = (type: AvroType, val: unknown, start: number, path: string, depth: number): void => {
    const fields = (type as AvroType & {fields?: {name: string; type: AvroType}[]}).fields;
    if (!fields) return;
    let at = start;
    for (const field of fields) {
      const fieldValue = (val as Record<string, unknown>)[field.name];
      const end = at + field.type.toBuffer(fieldValue).length;
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      regions.push(region("field", at, end, fieldPath, depth, {path: fieldPath, type: describeType(field.type), value: fieldValue}));
      walk(field.type, fieldValue, at, fieldPath, depth + 1);
      at = end;
    }
  };
  if ((writer as AvroType & {fields?: unknown}).fields) walk(writer, value, HEADER_SIZE, "", 0);
  else regions.push(region("body", HEADER_SIZE, bytes.length, describeType(writer), 0, {type: describeType(writer), value}));
  return regions;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
