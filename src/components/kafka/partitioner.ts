// Kafka's default partitioner for keyed records: toPositive(murmur2(keyBytes)) % numPartitions.
// Port of org.apache.kafka.common.utils.Utils.murmur2 (and BuiltInPartitioner.partitionForKey);
// the result is the signed 32-bit int that Java returns.

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
/** The longest string key keyPartitioner memoises: longer keys are rare, and would make the memo big. */
const MEMO_KEY_LENGTH = 64;

// One scratch buffer for UTF-8 bytes: hashing a string key allocates nothing once it is big enough.
let scratch = new Uint8Array(256);

/** Kafka's murmur2 of a byte array or of a string's UTF-8 bytes (never trimmed or normalised). */
export function murmur2(data: Uint8Array | string): number {
  if (typeof data === "string") {
    const length = encodeUtf8(data);
    return murmur2Bytes(scratch, length);
  }
  return murmur2Bytes(data, data.length);
}

/** `n & 0x7fffffff`, as Kafka's Utils.toPositive: not Math.abs, which maps -2^31 to itself. */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner gives a keyed record. */
export function partitionForKey(key: Uint8Array | string, numPartitions: number): number {
  checkPartitions(numPartitions);
  return toPositive(murmur2(key)) % numPartitions;
}

function checkPartitions(numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new RangeError(`numPartitions must be a positive integer, got ${String(numPartitions)}`);
  }
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
}

/**
 * partitionForKey with a memo of string keys' hashes, for a client that sends many records with
 * the same keys: a key's hash is its UTF-8 bytes' murmur2 whatever the partition count, so the
 * memo holds toPositive(murmur2(key)) and takes the remainder per call. It keeps at most `limit`
 * keys of at most MEMO_KEY_LENGTH UTF-16 units (a few MB at worst, freed with its producer) and
 * starts over when full; byte keys are hashed every time (their contents may change).
 */
export function keyPartitioner(limit = 1 << 15): (key: Uint8Array | string, numPartitions: number) => number {
  checkLimit(limit);
  const hashes = new Map<string, number>();
  return (key, numPartitions) => {
    if (typeof key !== "string" || key.length > MEMO_KEY_LENGTH) return partitionForKey(key, numPartitions);
    let hash = hashes.get(key);
    if (hash === undefined) {
      if (hashes.size >= limit) hashes.clear();
      hashes.set(key, (hash = toPositive(murmur2(key))));
    }
    checkPartitions(numPartitions);
    return hash % numPartitions;
  };
}

function murmur2Bytes(data: Uint8Array, length: number): number {
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  switch (length & 3) {
    case 3:
      h ^= data[tail + 2] << 16;
    // falls through
    case 2:
      h ^= data[tail + 1] << 8;
    // falls through
    case 1:
      h ^= data[tail];
      h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

// UTF-8 encode into `scratch` as TextEncoder does (a lone surrogate becomes U+FFFD); returns the length.
function encodeUtf8(s: string): number {
  if (scratch.length < s.length * 3) scratch = new Uint8Array(s.length * 3);
  const out = scratch;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = s.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (c >> 18);
          out[n++] = 0x80 | ((c >> 12) & 0x3f);
          out[n++] = 0x80 | ((c >> 6) & 0x3f);
          out[n++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}
