// The vendored avsc bundle is what both Node and browsers run. Check it is current, and that it
// works where there is no Buffer (a browser): evaluated in a bare vm context.
import {readFileSync, writeFileSync} from "node:fs";
import vm from "node:vm";
import {transform} from "esbuild";
import {describe, expect, it} from "vitest";
import {buildAvscBundle, bundlePath} from "./avsc-bundle.js";

describe("vendored avsc bundle", () => {
  it("matches a fresh build (UPDATE_AVSC_BUNDLE=1 rewrites it)", async () => {
    const fresh = await buildAvscBundle();
    if (process.env.UPDATE_AVSC_BUNDLE) writeFileSync(bundlePath, fresh);
    expect(readFileSync(bundlePath, "utf8")).toBe(fresh);
  });

  it("encodes, decodes and resolves without Node's Buffer", async () => {
    const source = readFileSync(bundlePath, "utf8");
    expect(source).not.toMatch(/\bimport\s*[{"*\w]|\brequire\(/); // self-contained
    // As a classic script in a context that has no Buffer, no process, no require.
    const script = (await transform(source, {format: "iife", globalName: "bundle"})).code;
    const context = vm.createContext({TextEncoder, TextDecoder});
    vm.runInContext(script, context);
    const {default: avro, Buffer: Shim} = context.bundle as {default: any; Buffer: any};
    expect(Shim).not.toBe(globalThis.Buffer);
    const v1 = avro.Type.forSchema({
      type: "record",
      name: "Order",
      fields: [
        {name: "id", type: "long"},
        {name: "note", type: "string"},
        {name: "amount", type: "double"},
        {name: "ratio", type: "float"},
        {name: "raw", type: "bytes"},
        {name: "tags", type: {type: "array", items: "string"}}
      ]
    });
    const value = {id: -1234567890123, note: "été ✓ 🚀".repeat(12), amount: 12.5, ratio: 0.25, raw: Shim.from([1, 2, 255]), tags: ["a", "β"]};
    const bytes = v1.toBuffer(value);
    expect(Shim.isBuffer(bytes)).toBe(true);
    // Same bytes as Node's avsc.
    const nodeAvsc = (await import("avsc")).default;
    const nodeType = nodeAvsc.Type.forSchema(v1.schema());
    const nodeBytes = nodeType.toBuffer({...value, raw: Buffer.from([1, 2, 255])});
    expect(Array.from(bytes)).toEqual(Array.from(nodeBytes));
    const back = v1.fromBuffer(bytes);
    expect({...back, raw: Array.from(back.raw)}).toEqual({...value, raw: [1, 2, 255]});
    const v2 = avro.Type.forSchema({
      type: "record",
      name: "Order",
      fields: [
        {name: "id", type: "long"},
        {name: "amount", type: "double"},
        {name: "currency", type: "string", default: "EUR"}
      ]
    });
    expect(v2.fromBuffer(bytes, v2.createResolver(v1))).toEqual({id: -1234567890123, amount: 12.5, currency: "EUR"});
    expect(Array.from(v1.fingerprint())).toEqual(Array.from(nodeType.fingerprint())); // MD5 shim
  });
});
