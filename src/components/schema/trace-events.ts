// The schema-evolution run's trace events (serde.ts): kind => fields, exactly as recorded.
// Declaration merging adds them to the kernel's TraceEventMap; nothing imports this file: tsc
// reads it with src/.

declare module "../sim/trace.js" {
  interface TraceEventMap {
    /** A producer or consumer upgraded to schema `version` (1-based). */
    "schema.deploy": {role: "producer" | "consumer"; version: number};
    /** The producer's schema registered under `subject` (`created` false: it was already there), or refused by the compatibility check. */
    "schema.register":
      | {subject: string; version: number; ok: true; schemaId: number; created: boolean}
      | {subject: string; version: number; ok: false; error: string};
    /** A record serialized with the producer's schema, or refused by the serializer. */
    "schema.produce": {version: number; ok: true; bytes: number} | {version: number; ok: false; error: string};
    /** A record written with `writerVersion` read by a consumer on `readerVersion`. */
    "schema.consume": {writerVersion: number; readerVersion: number; ok: true} | {writerVersion: number; readerVersion: number; ok: false; error: string};
  }
}

export {};
