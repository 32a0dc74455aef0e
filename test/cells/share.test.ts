import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {decodeShare, encodeShare, fromBase64Url, ShareLinkError, toBase64Url} from "../../src/components/cells/share.js";

describe("base64url", () => {
  it("round-trips any bytes and uses only the URL-safe alphabet without padding", () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 200}), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
      {numRuns: 1000}
    );
  });

  it("refuses text outside the alphabet", () => {
    expect(() => fromBase64Url("abc+/")).toThrow(ShareLinkError);
  });
});

describe("share links", () => {
  it("round-trip code and parameters", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({unit: "grapheme"}), fc.dictionary(fc.string(), fc.jsonValue()), async (code, parameters) => {
        const hash = await encodeShare({id: "lab-1", code, parameters});
        expect(hash).toMatch(/^#cell=lab-1&code=[A-Za-z0-9_-]+$/);
        const decoded = await decodeShare(hash);
        expect(decoded).toEqual({id: "lab-1", code, parameters: JSON.parse(JSON.stringify(parameters))});
      }),
      {numRuns: 200}
    );
  });

  it("compress: a typical experiment fits in a short link", async () => {
    const code = `const client = new EventBridgeClient({sim});\n`.repeat(40);
    const hash = await encodeShare({id: "x", code});
    expect(hash.length).toBeLessThan(code.length / 5);
  });

  it("ignore hashes that are not share links", async () => {
    expect(await decodeShare("")).toBeNull();
    expect(await decodeShare("#why-adding-partitions-breaks-per-key-order")).toBeNull();
    expect(await decodeShare("#cell=only-an-id")).toBeNull();
  });

  it("say so when a link is damaged or cut short", async () => {
    const hash = await encodeShare({id: "lab", code: "console.log('a fairly long line of code to compress')"});
    await expect(decodeShare(hash.slice(0, -8))).rejects.toThrow(/damaged/);
    await expect(decodeShare("#cell=lab&code=!!")).rejects.toThrow(ShareLinkError);
  });
});
