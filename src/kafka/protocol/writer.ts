/**
 * Big-endian writes into a growable buffer. Large byte fields (record batches in Fetch
 * responses) are not copied: they become separate chunks, and `finishChunks()` returns the
 * pieces for the socket to write in order.
 */
export class Writer {
  private buf: Buffer;
  private view: DataView;
  private pos = 0;
  private readonly chunks: Uint8Array[] = [];
  private flushedBytes = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Bytes written so far, chunks included. */
  get length(): number {
    return this.flushedBytes + this.pos;
  }

  private room(n: number): number {
    if (this.pos + n > this.buf.length) {
      // never 0: after a big chunk left the buffer exactly full, what remains is empty
      let size = Math.max(this.buf.length * 2, 256);
      while (size < this.pos + n) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
      this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(v: number): this {
    const at = this.room(1); // grow first: `this.view` may be replaced
    this.view.setInt8(at, v);
    return this;
  }
  int16(v: number): this {
    const at = this.room(2); // grow first: `this.view` may be replaced
    this.view.setInt16(at, v);
    return this;
  }
  int32(v: number): this {
    const at = this.room(4); // grow first: `this.view` may be replaced
    this.view.setInt32(at, v);
    return this;
  }
  uint32(v: number): this {
    const at = this.room(4); // grow first: `this.view` may be replaced
    this.view.setUint32(at, v >>> 0);
    return this;
  }
  int64(v: number): this {
    const at = this.room(8);
    this.view.setBigInt64(at, BigInt(Math.trunc(v)));
    return this;
  }
  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  string(s: string): this {
    return this.nullableString(s);
  }
  nullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.int16(-1);
    const len = Buffer.byteLength(s);
    this.int16(len);
    const at = this.room(len); // grow first: `this.buf` may be replaced
    this.buf.write(s, at, len, "utf8");
    return this;
  }
  bytes(b: Uint8Array): this {
    return this.nullableBytes(b);
  }
  nullableBytes(b: Uint8Array | null | undefined): this {
    if (b === null || b === undefined) return this.int32(-1);
    this.int32(b.length);
    return this.raw(b);
  }
  /** int32 total length, then the parts without copying big ones. */
  bytesChunks(parts: readonly Uint8Array[]): this {
    let total = 0;
    for (const p of parts) total += p.length;
    this.int32(total);
    for (const p of parts) this.raw(p);
    return this;
  }
  raw(b: Uint8Array): this {
    if (b.length >= 4096) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.flushedBytes += this.pos;
      this.buf = this.buf.subarray(this.pos);
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
      this.pos = 0;
      this.chunks.push(b);
      this.flushedBytes += b.length;
    } else {
      const at = this.room(b.length);
      this.buf.set(b, at);
    }
    return this;
  }
  arrayLength(n: number | null): this {
    return this.int32(n === null ? -1 : n);
  }
  uvarint(v: number): this {
    while (v >= 0x80) {
      const at = this.room(1);
      this.buf[at] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    const at = this.room(1);
    this.buf[at] = v;
    return this;
  }
  compactString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const len = Buffer.byteLength(s);
    this.uvarint(len + 1);
    const at = this.room(len);
    this.buf.write(s, at, len, "utf8");
    return this;
  }
  compactArrayLength(n: number | null): this {
    return this.uvarint(n === null ? 0 : n + 1);
  }
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  /** The whole output as pieces to write in order. */
  finishChunks(): Uint8Array[] {
    const out = [...this.chunks];
    if (this.pos > 0) out.push(this.buf.subarray(0, this.pos));
    return out;
  }
  /**
   * For a message that began with `int32(0)` as its size placeholder: patches the size
   * (everything after those 4 bytes) and returns the pieces.
   */
  finishFrame(): Uint8Array[] {
    const parts = this.finishChunks();
    const first = parts[0]!;
    new DataView(first.buffer, first.byteOffset, 4).setInt32(0, this.length - 4);
    return parts;
  }

  /** The whole output in one buffer (tests, small messages). */
  finish(): Uint8Array {
    const parts = this.finishChunks();
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
