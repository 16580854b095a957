// Byte helpers for the sealed formats: UTF-8, hex, concatenation and little-endian integers.
const encoder = new TextEncoder();
// `ignoreBOM` keeps a leading U+FEFF; `fatal` turns bytes that are not UTF-8 into an error.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The UTF-8 bytes of `text` (well-formed text only; the API checks that first). */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** The text of UTF-8 `bytes`; throws a TypeError for bytes that are not UTF-8. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Lowercase hex digits of `bytes`. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The bytes of lowercase or uppercase hex digits; throws a TypeError for anything else. */
export function fromHex(text: string): Uint8Array<ArrayBuffer> {
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(text)) throw new TypeError('not hex');
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** `count` random bytes from the browser's CSPRNG. */
export function randomBytes(count: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(count));
}

/** Builds a byte string from parts, little-endian integers and length-prefixed fields. */
export class ByteWriter {
  private readonly parts: Uint8Array[] = [];

  /** Appends raw bytes. */
  bytes(part: Uint8Array): this {
    this.parts.push(part);
    return this;
  }

  /** Appends one byte. */
  u8(value: number): this {
    return this.bytes(Uint8Array.of(value));
  }

  /** Appends a `u16`. */
  u16(value: number): this {
    const part = new Uint8Array(2);
    new DataView(part.buffer).setUint16(0, value, true);
    return this.bytes(part);
  }

  /** Appends a `u32`. */
  u32(value: number): this {
    const part = new Uint8Array(4);
    new DataView(part.buffer).setUint32(0, value, true);
    return this.bytes(part);
  }

  /** Appends a `u64` (an integer up to 2^53). */
  u64(value: number): this {
    const part = new Uint8Array(8);
    new DataView(part.buffer).setBigUint64(0, BigInt(value), true);
    return this.bytes(part);
  }

  /** The concatenation of everything appended. */
  finish(): Uint8Array<ArrayBuffer> {
    const length = this.parts.reduce((sum, part) => sum + part.length, 0);
    const result = new Uint8Array(length);
    let offset = 0;
    for (const part of this.parts) {
      result.set(part, offset);
      offset += part.length;
    }
    return result;
  }
}

/** Reads what a {@link ByteWriter} wrote; every read throws a RangeError past the end. */
export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** The next `count` bytes. */
  bytes(count: number): Uint8Array<ArrayBuffer> {
    if (this.offset + count > this.data.length) throw new RangeError('truncated');
    const part = this.data.slice(this.offset, this.offset + count);
    this.offset += count;
    return part;
  }

  /** Everything not read yet. */
  rest(): Uint8Array<ArrayBuffer> {
    return this.bytes(this.data.length - this.offset);
  }

  /** The next byte. */
  u8(): number {
    return this.bytes(1)[0];
  }

  /** The next `u16`. */
  u16(): number {
    const value = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return value;
  }

  /** The next `u64`, which must fit a JavaScript number exactly. */
  u64(): number {
    const value = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('too large');
    return Number(value);
  }
}
