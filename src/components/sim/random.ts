// The one seeded random source of a run. sfc32 (Chris Doty-Humphrey's Small Fast Counter),
// seeded through splitmix32 so that nearby seeds give unrelated streams. Pure 32-bit integer
// arithmetic: the same seed gives the same sequence in Node and in every browser.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** An exponentially distributed delay with the given mean (for arrivals and service times). */
  exponential(mean: number): number;
}

export function seedFrom(seed: number | string): number {
  if (typeof seed === "number") {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number or a string, got ${seed}`);
    return seed >>> 0;
  }
  let h = 0x811c9dc5; // FNV-1a over UTF-16 units: stable, and enough to spread a string seed
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function createRandom(seed: number | string): Random {
  let s = seedFrom(seed);
  const splitmix = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(), b = splitmix(), c = splitmix(), d = splitmix();
  const nextUint32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  const next = () => nextUint32() / 4294967296;
  return {
    next,
    int(n) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`int(n) needs a positive integer n, got ${n}`);
      return Math.floor(next() * n);
    },
    chance: (p) => next() < p,
    pick(items) {
      if (items.length === 0) throw new RangeError("pick() needs a non-empty array");
      return items[Math.floor(next() * items.length)];
    },
    exponential: (mean) => -mean * Math.log(1 - next())
  };
}
