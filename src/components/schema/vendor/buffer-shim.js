// The part of Node's Buffer that avsc 5.7.9 uses (lib/utils.js, lib/types.js), on Uint8Array, for
// browsers. Node keeps its native Buffer: the bundle takes globalThis.Buffer when there is one.
// Bundled into avsc.js by test/schema/avsc-bundle.test.ts; not imported at run time.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class ShimBuffer extends Uint8Array {
  static alloc(size) {
    return new ShimBuffer(size);
  }
  static allocUnsafe(size) {
    return new ShimBuffer(size);
  }
  static allocUnsafeSlow(size) {
    return new ShimBuffer(size);
  }
  static from(data, encodingOrOffset, length) {
    if (typeof data === "string") {
      if (encodingOrOffset === "binary" || encodingOrOffset === "latin1") {
        const buf = new ShimBuffer(data.length);
        for (let i = 0; i < data.length; i++) buf[i] = data.charCodeAt(i) & 0xff;
        return buf;
      }
      if (encodingOrOffset === "hex") {
        const buf = new ShimBuffer(data.length >> 1);
        for (let i = 0; i < buf.length; i++) buf[i] = parseInt(data.substr(2 * i, 2), 16);
        return buf;
      }
      const bytes = encoder.encode(data);
      return new ShimBuffer(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    if (data instanceof ArrayBuffer) {
      // Node: a view on the same memory, no copy.
      const offset = encodingOrOffset ?? 0;
      return new ShimBuffer(data, offset, length ?? data.byteLength - offset);
    }
    const buf = new ShimBuffer(data.length);
    buf.set(data);
    return buf;
  }
  static isBuffer(value) {
    return value instanceof ShimBuffer;
  }
  static byteLength(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if ((c & 0xfc00) === 0xd800 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) (n += 4), i++;
      else n += 3;
    }
    return n;
  }
  static compare(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }
  static concat(list, total) {
    const buf = new ShimBuffer(total ?? list.reduce((n, b) => n + b.length, 0));
    let pos = 0;
    for (const b of list) buf.set(b, pos), (pos += b.length);
    return buf;
  }

  // Node's slice is a view on the same memory (unlike Uint8Array's copy).
  slice(start, end) {
    return this.subarray(start, end);
  }
  #view() {
    return new DataView(this.buffer, this.byteOffset, this.byteLength);
  }
  readFloatLE(pos) {
    return this.#view().getFloat32(pos, true);
  }
  writeFloatLE(value, pos) {
    this.#view().setFloat32(pos, value, true);
    return pos + 4;
  }
  readDoubleLE(pos) {
    return this.#view().getFloat64(pos, true);
  }
  writeDoubleLE(value, pos) {
    this.#view().setFloat64(pos, value, true);
    return pos + 8;
  }
  readUIntLE(pos, byteLength) {
    let n = 0;
    for (let i = byteLength - 1; i >= 0; i--) n = n * 256 + this[pos + i];
    return n;
  }
  writeIntLE(value, pos, byteLength) {
    let n = value < 0 ? value + 2 ** (8 * byteLength) : value;
    for (let i = 0; i < byteLength; i++) (this[pos + i] = n & 0xff), (n = Math.floor(n / 256));
    return pos + byteLength;
  }
  copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
    const part = this.subarray(sourceStart, sourceEnd);
    target.set(part, targetStart);
    return part.length;
  }
  equals(other) {
    return ShimBuffer.compare(this, other) === 0;
  }
  write(s, offset = 0, length = this.length - offset, encoding = "utf8") {
    if (encoding === "binary" || encoding === "latin1") {
      const n = Math.min(length, s.length);
      for (let i = 0; i < n; i++) this[offset + i] = s.charCodeAt(i) & 0xff;
      return n;
    }
    return encoder.encodeInto(s, this.subarray(offset, offset + length)).written;
  }
  toString(encoding = "utf8", start = 0, end = this.length) {
    const part = this.subarray(start, end);
    if (encoding === "binary" || encoding === "latin1") {
      let s = "";
      for (let i = 0; i < part.length; i += 4096) s += String.fromCharCode(...part.subarray(i, i + 4096));
      return s;
    }
    if (encoding === "hex") return Array.from(part, (b) => b.toString(16).padStart(2, "0")).join("");
    return decoder.decode(part);
  }
  toJSON() {
    return {type: "Buffer", data: Array.from(this)};
  }
}

export const Buffer = globalThis.Buffer ?? ShimBuffer;
export const SlowBuffer = Buffer;
export default {Buffer, SlowBuffer};
