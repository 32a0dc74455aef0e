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

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const output = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

/** The hash (with its leading "#") that shares this experiment. */
export async function encodeShare({id, code, parameters = {}}: {id: string; code: string; parameters?: Parameters}): Promise<string> {
  const json = JSON.stringify({v: PAYLOAD_VERSION, code, parameters});
  const payload = toBase64Url(await pipe(new TextEncoder().encode(json), new CompressionStream("deflate-raw")));
  return `#${new URLSearchParams({cell: id, code: payload})}`;
}

/** The experiment a hash shares, or null when the hash is not a share link (e.g. a heading anchor). */
export async function decodeShare(hash: string): Promise<SharedExperiment | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const id = params.get("cell");
  const payload = params.get("code");
  if (id === null || payload === null) return null;
  let data: unknown;
  try {
    const json = new TextDecoder().decode(await pipe(fromBase64Url(payload), new DecompressionStream("deflate-raw")));
    data = JSON.parse(json);
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw new ShareLinkError(`the shared code of cell "${id}" is damaged (was the link cut short?)`);
  }
  const {v, code, parameters} = (data ?? {}) as {v?: unknown; code?: unknown; parameters?: unknown};
  if (v !== PAYLOAD_VERSION) throw new ShareLinkError(`the share link has version ${String(v)}; this page reads version ${PAYLOAD_VERSION}`);
  if (typeof code !== "string") throw new ShareLinkError(`the share link of cell "${id}" holds no code`);
  const isRecord = typeof parameters === "object" && parameters !== null && !Array.isArray(parameters);
  return {id, code, parameters: isRecord ? (parameters as Parameters) : {}};
}
