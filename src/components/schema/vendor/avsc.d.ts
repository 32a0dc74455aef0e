// Types of the vendored bundle: avsc's own typings (types only; the bundle holds no Node code).
import type {Type, types, Schema} from "avsc";

declare const avro: {
  Type: typeof Type;
  types: typeof types;
  parse(schema: string | Schema, options?: object): Type;
};
export default avro;
/** Node's Buffer in Node; in browsers, the Uint8Array-based shim the bundle carries. */
export declare const Buffer: typeof globalThis.Buffer;
