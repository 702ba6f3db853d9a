import { ProtocolError } from "./errors.ts";

/**
 * Bounds-checked big-endian reads over one request frame. Byte fields are returned as views
 * (no copy); every read past the end, or a length that cannot fit, is a ProtocolError.
 */
export class Reader {
  private readonly view: DataView;
  offset: number;

  constructor(
    readonly buf: Uint8Array,
    offset = 0,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.offset = offset;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private need(n: number): number {
    const at = this.offset;
    if (n < 0 || at + n > this.buf.length) {
      throw new ProtocolError(`need ${n} bytes at ${at}, frame has ${this.buf.length}`);
    }
    this.offset = at + n;
    return at;
  }

  int8(): number {
    return this.view.getInt8(this.need(1));
  }
  int16(): number {
    return this.view.getInt16(this.need(2));
  }
  int32(): number {
    return this.view.getInt32(this.need(4));
  }
  uint32(): number {
    return this.view.getUint32(this.need(4));
  }
  /** int64 as a JS number: offsets and timestamps stay far below 2^53. */
  int64(): number {
    const at = this.need(8);
    return this.view.getInt32(at) * 4294967296 + this.view.getUint32(at + 4);
  }
  boolean(): boolean {
    return this.int8() !== 0;
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError("null where a string is required");
    return s;
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolError(`bad string length ${len}`);
    return this.text(len);
  }
  bytes(): Uint8Array {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolError("null where bytes are required");
    return b;
  }
  nullableBytes(): Uint8Array | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolError(`bad bytes length ${len}`);
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }
  /** int32 count; -1 = null. A count that could not fit in the rest of the frame is refused. */
  arrayLength(): number | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < 0 || n > this.remaining) throw new ProtocolError(`bad array length ${n}`);
    return n;
  }

  // Flexible-version (compact) encodings: only ApiVersions v3 in this broker.
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf[this.need(1)]!;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new ProtocolError("uvarint too long");
  }
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.text(n - 1);
  }
  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolError("null where a string is required");
    return s;
  }
  compactArrayLength(): number | null {
    const n = this.uvarint();
    if (n === 0) return null;
    if (n - 1 > this.remaining) throw new ProtocolError(`bad array length ${n - 1}`);
    return n - 1;
  }
  skipTaggedFields(): void {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint(); // tag
      this.need(this.uvarint());
    }
  }

  private text(len: number): string {
    const at = this.need(len);
    return decoder.decode(this.buf.subarray(at, at + len));
  }
}

const decoder = new TextDecoder("utf-8", { fatal: false });
