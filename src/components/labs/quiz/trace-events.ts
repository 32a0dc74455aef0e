// The quiz proofs' trace events (proofs.ts): kind => fields, exactly as recorded. Declaration
// merging adds them to the kernel's TraceEventMap; nothing imports this file: tsc reads it with src/.

declare module "../../sim/trace.js" {
  interface TraceEventMap {
    /** The two decoded values of the schema proof: v2 data read with the v1 schema, and v1 data read with v2. */
    "schema.read": {oldReader: unknown; newReader: unknown};
  }
}

export {};
