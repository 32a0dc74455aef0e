// The one door to avsc. Every schema module imports avsc through here, so the browser-safe build
// is chosen in one place: vendor/avsc.js is avsc 5.7.9's browser entry bundled with a small Buffer
// shim (Node keeps its native Buffer), because Framework's rollup cannot resolve avsc's
// `require("buffer")`/`require("util")` for the browser.
import avro, {Buffer as AvroBuffer} from "./vendor/avsc.js";
import type {Type} from "avsc";

export type {Type as AvroType} from "avsc";

/** A schema as the API accepts it: JSON text, a parsed JSON schema, or a parsed avsc Type. */
export type SchemaInput = string | object | Type;

export {avro};

export function isAvroType(value: unknown): value is Type {
  return avro.Type.isType(value);
}

const resolvers = new WeakMap<Type, WeakMap<Type, object | Error>>();

/** avsc's resolver reading `writer` data as `reader` (cached, failures too; throws avsc's reason when it cannot). */
export function resolverFor(reader: Type, writer: Type): object {
  let byWriter = resolvers.get(reader);
  if (!byWriter) resolvers.set(reader, (byWriter = new WeakMap()));
  let resolver = byWriter.get(writer);
  if (!resolver) {
    try {
      // Fresh options each time: avsc keeps its registry of record resolvers in them, and a failed
      // attempt would leave a half-built resolver there. Named types match on unqualified names,
      // as in the Avro specification and Java's SchemaCompatibility.
      resolver = reader.createResolver(writer, {ignoreNamespaces: true});
    } catch (error) {
      resolver = error as Error;
    }
    byWriter.set(writer, resolver);
  }
  if (resolver instanceof Error) throw resolver;
  return resolver;
}

/** A view of `bytes` as the Buffer avsc expects (no copy). */
export function asAvroBuffer(bytes: Uint8Array): Buffer {
  return AvroBuffer.isBuffer(bytes) ? bytes : AvroBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

/** A buffer of `size` bytes for avsc to encode into. */
export function allocAvroBuffer(size: number): Buffer {
  return AvroBuffer.alloc(size);
}
