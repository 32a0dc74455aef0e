// Share links: an experiment's code and parameters, deflated ("deflate-raw", RFC 1951) and
// base64url-encoded (RFC 4648 §5) into the URL hash, so a link reproduces the experiment with no
// server and no dependency. The hash reads `#cell=<id>&code=<payload>`; Framework's heading
// anchors are left alone because no element has such an id.

export type Parameters = Record<string, unknown>;

export interface SharedExperiment {
  /** The cell id the link belongs to. */
  id: string;
  code: string;
  parameters: Parameters;
}

/** Version of the payload layout, so a future change can still read old links. */
const PAYLOAD_VERSION = 1;

export class ShareLinkError extends Error {
  override name = "ShareLinkError";
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError("the shared code is not base64url text (A-Z, a-z, 0-9, - and _)");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The most code a link may carry: 64 KB (UTF-8). Longer code cannot be shared, and a longer payload is refused while it is inflated. */
export const MAX_CODE_BYTES = 64 * 1024;
/** The most JSON a payload may inflate to: the code (each byte at most doubled by JSON escaping) and its parameters. */
const MAX_PAYLOAD_BYTES = 2 * MAX_CODE_BYTES + 16 * 1024;
/** The longest hash read at all: 64 KB of incompressible code, deflated and base64url-encoded, with room for parameters. */
export const MAX_LINK_CHARS = 128 * 1024;
/** Input fed to the inflater per step: deflate expands at most ~1032:1, so one step yields at most ~1 MB. */
const INFLATE_STEP = 1024;

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
const tooMuchCode = `a share link may carry at most ${kb(MAX_CODE_BYTES)} of code`;

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const output = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(output).arrayBuffer());
}

/**
 * Inflates at most `most` bytes, checked while inflating: the compressed input goes in small steps,
 * and the output is counted as it comes, so a small link that would inflate to gigabytes stops
 * after `most` bytes (a DecompressionStream given the whole input at once inflates all of it
 * before the first read).
 */
export async function inflate(bytes: Uint8Array, most: number): Promise<Uint8Array> {
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const reading = (async () => {
    for (;;) {
      const {done, value} = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > most) {
        tooLarge = true;
        await reader.cancel().catch(() => {});
        return;
      }
      chunks.push(value);
    }
  })();
  const writing = (async () => {
    for (let i = 0; i < bytes.length && !tooLarge; i += INFLATE_STEP) await writer.write(bytes.subarray(i, i + INFLATE_STEP) as Uint8Array<ArrayBuffer>);
    if (!tooLarge) await writer.close();
  })();
  const [written, read] = await Promise.allSettled([writing, reading]);
  if (tooLarge) throw new ShareLinkError(`the shared code is larger than ${tooMuchCode}; it was not opened`);
  if (written.status === "rejected") throw written.reason;
  if (read.status === "rejected") throw read.reason;
  const output = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) output.set(chunk, (offset += chunk.byteLength) - chunk.byteLength);
  return output;
}

/** A seed as the kernel takes it (sim/random.ts seedFrom): a finite number or a string. */
export const isSeed = (seed: unknown): seed is number | string => (typeof seed === "number" && Number.isFinite(seed)) || (typeof seed === "string" && seed.length <= 200);

/** A seed as a control shows it: numbers in full (1e9 as 1000000000), text as it is, unless it reads as a number (then quoted). */
export function formatSeed(seed: number | string): string {
  if (typeof seed === "number") return String(seed);
  return typeof parseSeed(seed) === "number" || /^".*"$/.test(seed) ? JSON.stringify(seed) : seed;
}

/** The seed a control's text means: a number when it reads as one, a quoted string as that string, any other text as itself. */
export function parseSeed(text: string): number | string {
  const trimmed = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (/^".*"$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed) as string;
    } catch {
      return text;
    }
  }
  return text;
}

/** The hash (with its leading "#") that shares this experiment. Throws ShareLinkError when the code is too long to share. */
export async function encodeShare({id, code, parameters = {}}: {id: string; code: string; parameters?: Parameters}): Promise<string> {
  if (new TextEncoder().encode(code).byteLength > MAX_CODE_BYTES) throw new ShareLinkError(`this code is too long to share: ${tooMuchCode}`);
  const json = JSON.stringify({v: PAYLOAD_VERSION, code, parameters});
  const payload = toBase64Url(await deflate(new TextEncoder().encode(json)));
  return `#${new URLSearchParams({cell: id, code: payload})}`;
}

/** The experiment a hash shares, or null when the hash is not a share link (e.g. a heading anchor). Rejects with ShareLinkError, saying why. */
export async function decodeShare(hash: string): Promise<SharedExperiment | null> {
  if (typeof hash !== "string") return null;
  if (hash.length > MAX_LINK_CHARS) {
    if (!/(^#|&)cell=/.test(hash)) return null;
    throw new ShareLinkError(`the share link is ${hash.length.toLocaleString("en-US")} characters long; at most ${MAX_LINK_CHARS.toLocaleString("en-US")} are read (${tooMuchCode}); it was not opened`);
  }
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const id = params.get("cell");
  const payload = params.get("code");
  if (id === null || payload === null) return null;
  if (!/^[\w-]{1,100}$/.test(id)) throw new ShareLinkError("the share link does not name a cell (letters, digits, - and _)");
  let data: unknown;
  try {
    const json = new TextDecoder("utf-8", {fatal: true}).decode(await inflate(fromBase64Url(payload), MAX_PAYLOAD_BYTES));
    data = JSON.parse(json);
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw new ShareLinkError(`the shared code of cell "${id}" is damaged (was the link cut short?)`);
  }
  const {v, code, parameters = {}} = (typeof data === "object" && data !== null ? data : {}) as {v?: unknown; code?: unknown; parameters?: unknown};
  if (v !== PAYLOAD_VERSION) throw new ShareLinkError(`the share link has version ${typeof v === "number" ? v : "(none)"}; this page reads version ${PAYLOAD_VERSION}`);
  if (typeof code !== "string") throw new ShareLinkError(`the share link of cell "${id}" holds no code`);
  if (new TextEncoder().encode(code).byteLength > MAX_CODE_BYTES) throw new ShareLinkError(`the shared code is larger than ${tooMuchCode}; it was not opened`);
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) throw new ShareLinkError(`the share link's parameters are not a record`);
  const {seed} = parameters as Parameters;
  if (seed !== undefined && !isSeed(seed)) throw new ShareLinkError(`the share link's seed must be a finite number or a text of at most 200 characters, as the simulation takes, got ${JSON.stringify(seed)?.slice(0, 40)}`);
  return {id, code, parameters: parameters as Parameters};
}
