import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {deflateRawSync} from "node:zlib";
import {decodeShare, encodeShare, formatSeed, fromBase64Url, MAX_CODE_BYTES, parseSeed, ShareLinkError, toBase64Url} from "../../src/components/cells/share.js";

/** A share hash made by hand, as an attacker would (encodeShare refuses long code). */
const handMade = (payload: unknown, id = "lab") => `#cell=${id}&code=${deflateRawSync(Buffer.from(JSON.stringify(payload))).toString("base64url")}`;

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

describe("share links an attacker writes (issue 16 defects 1 and 7)", () => {
  it("refuse a payload that inflates past the limit, while inflating, naming the limit", async () => {
    const bomb = handMade({v: 1, code: "x".repeat(50_000_000), parameters: {}});
    expect(bomb.length).toBeLessThan(100_000);
    const start = performance.now();
    await expect(decodeShare(bomb)).rejects.toThrow("the shared code is larger than a share link may carry at most 64 KB of code; it was not opened");
    expect(performance.now() - start).toBeLessThan(2000); // 50 MB would take far longer to inflate and parse
  });

  it("take code up to 64 KB and refuse one byte more, on both sides", async () => {
    const most = "a".repeat(MAX_CODE_BYTES);
    expect((await decodeShare(await encodeShare({id: "lab", code: most})))?.code).toBe(most);
    await expect(encodeShare({id: "lab", code: `${most}a`})).rejects.toThrow("this code is too long to share: a share link may carry at most 64 KB of code");
    await expect(decodeShare(handMade({v: 1, code: `${most}é`}))).rejects.toThrow(/at most 64 KB of code/);
  });

  it("refuse a hash longer than the limit before decoding it", async () => {
    await expect(decodeShare(`#cell=lab&code=${"A".repeat(200_000)}`)).rejects.toThrow(/200,015 characters long; at most 131,072 are read \(a share link may carry at most 64 KB of code\)/);
    expect(await decodeShare(`#${"a".repeat(200_000)}`)).toBeNull();
  });

  it("accept seeds as the kernel takes them (a finite number or a string) and refuse others", async () => {
    expect((await decodeShare(handMade({v: 1, code: "1", parameters: {seed: "north"}})))?.parameters.seed).toBe("north");
    expect((await decodeShare(handMade({v: 1, code: "1", parameters: {seed: 1e9}})))?.parameters.seed).toBe(1e9);
    for (const seed of [{}, [1], true, "x".repeat(201)]) {
      await expect(decodeShare(handMade({v: 1, code: "1", parameters: {seed}}))).rejects.toThrow(/seed must be a finite number or a text/);
    }
    await expect(decodeShare(handMade({v: 1, code: "1", parameters: [1]}))).rejects.toThrow(/parameters are not a record/);
  });

  it("any string as a hash: null, an experiment within the limits, or a ShareLinkError; never anything else", async () => {
    const base64url = fc.string({unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), maxLength: 400});
    const hash = fc.oneof(
      fc.string({maxLength: 300}),
      fc.tuple(fc.string({maxLength: 20}), base64url).map(([id, code]) => `#cell=${encodeURIComponent(id)}&code=${code}`),
      fc.tuple(fc.jsonValue(), fc.constantFrom("lab", "x y", "")).map(([payload, id]) => handMade(payload, id)),
      fc.record({v: fc.constant(1), code: fc.string(), parameters: fc.dictionary(fc.string(), fc.jsonValue())}).map((payload) => handMade(payload))
    );
    await fc.assert(
      fc.asyncProperty(hash, async (text) => {
        try {
          const shared = await decodeShare(text);
          if (shared === null) return;
          expect(typeof shared.code).toBe("string");
          expect(new TextEncoder().encode(shared.code).byteLength).toBeLessThanOrEqual(MAX_CODE_BYTES);
          expect(shared.id).toMatch(/^[\w-]{1,100}$/);
          expect(shared.parameters.seed === undefined || ["number", "string"].includes(typeof shared.parameters.seed)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ShareLinkError);
        }
      }),
      {numRuns: 1000}
    );
  });
});

describe("seeds in a control", () => {
  it("read back as the same seed they show (a number as a number, a text as a text)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({noNaN: true, noDefaultInfinity: true}), fc.integer(), fc.string({maxLength: 200})), (seed) => {
        expect(parseSeed(formatSeed(seed)) === seed).toBe(true);
      }),
      {numRuns: 2000}
    );
    expect(formatSeed(1e9)).toBe("1000000000");
    expect(formatSeed("7")).toBe('"7"');
    expect(parseSeed("north")).toBe("north");
  });
});
