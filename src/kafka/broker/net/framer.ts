/**
 * Splits a TCP byte stream into Kafka frames (`int32 size` + payload). Each frame gets its own
 * buffer, sized from the prefix, so handlers may keep slices of it (group metadata, records)
 * after the next bytes arrive. An announced size outside [minBytes, maxBytes] is refused before
 * anything is allocated: a hostile size prefix cannot make the broker buffer gigabytes.
 */
export class FrameTooLargeError extends Error {}

export class Framer {
  private readonly sizeBytes = Buffer.alloc(4);
  private sizeFill = 0;
  private frame: Buffer | null = null;
  private frameFill = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onFrame: (frame: Buffer) => void,
    private readonly minBytes = 8,
  ) {}

  /** Bytes of a frame still being assembled (for memory accounting). */
  get buffered(): number {
    return this.frameFill;
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.frame === null) {
        const n = Math.min(4 - this.sizeFill, chunk.length - pos);
        this.sizeBytes.set(chunk.subarray(pos, pos + n), this.sizeFill);
        this.sizeFill += n;
        pos += n;
        if (this.sizeFill < 4) return;
        this.sizeFill = 0;
        const size = this.sizeBytes.readInt32BE(0);
        if (size < this.minBytes || size > this.maxBytes) {
          throw new FrameTooLargeError(
            `frame size ${size} outside [${this.minBytes}, ${this.maxBytes}]`,
          );
        }
        this.frame = Buffer.allocUnsafe(size);
        this.frameFill = 0;
      }
      const n = Math.min(this.frame.length - this.frameFill, chunk.length - pos);
      this.frame.set(chunk.subarray(pos, pos + n), this.frameFill);
      this.frameFill += n;
      pos += n;
      if (this.frameFill === this.frame.length) {
        const done = this.frame;
        this.frame = null;
        this.frameFill = 0;
        this.onFrame(done);
      }
    }
  }
}
