/**
 * Splits a TCP byte stream into Kafka frames (`int32 size` + payload). Each frame gets its own
 * buffer, sized from the prefix, so handlers may keep slices of it (group metadata, records)
 * after the next bytes arrive. An announced size outside [minBytes, maxBytes] is refused before
 * anything is allocated: a hostile size prefix cannot make the broker buffer gigabytes.
 *
 * The reader may stop the framer: `admit` refusing a size (no memory for it now) or `onFrame`
 * returning false (too much in flight) makes `push` return early with the bytes it consumed;
 * the caller keeps the rest and pushes it again later.
 */
export class FrameTooLargeError extends Error {}

export interface FrameLimits {
  /** the largest frame accepted now (it may change, e.g. after authentication) */
  maxBytes(): number;
  /** may a frame of `size` bytes be buffered now? false: stop until told to push again */
  admit(size: number): boolean;
}

const unlimited = (maxBytes: number): FrameLimits => ({
  maxBytes: () => maxBytes,
  admit: () => true,
});

export class Framer {
  private readonly sizeBytes = Buffer.alloc(4);
  private sizeFill = 0;
  /** announced size of the next frame, read but not yet admitted */
  private announced: number | null = null;
  private frame: Buffer | null = null;
  private frameFill = 0;
  private readonly limits: FrameLimits;

  constructor(
    limits: number | FrameLimits,
    /** false: stop after this frame */
    private readonly onFrame: (frame: Buffer) => boolean | void,
    private readonly minBytes = 8,
  ) {
    this.limits = typeof limits === "number" ? unlimited(limits) : limits;
  }

  /** Bytes of a frame still being assembled (for memory accounting). */
  get buffered(): number {
    return this.frameFill;
  }

  /** Between the first byte of a frame and its last (including waiting for `admit`). */
  get midFrame(): boolean {
    return this.sizeFill > 0 || this.announced !== null || this.frame !== null;
  }

  /** Size of the frame being assembled (admitted), or 0. */
  get frameSize(): number {
    return this.frame?.length ?? 0;
  }

  /** Consumes frames from `chunk`; returns how many bytes it took (all unless stopped). */
  push(chunk: Uint8Array): number {
    let pos = 0;
    while (pos < chunk.length || this.announced !== null) {
      if (this.frame === null) {
        if (this.announced === null) {
          const n = Math.min(4 - this.sizeFill, chunk.length - pos);
          this.sizeBytes.set(chunk.subarray(pos, pos + n), this.sizeFill);
          this.sizeFill += n;
          pos += n;
          if (this.sizeFill < 4) return pos;
          this.sizeFill = 0;
          const size = this.sizeBytes.readInt32BE(0);
          const max = this.limits.maxBytes();
          if (size < this.minBytes || size > max) {
            throw new FrameTooLargeError(`frame size ${size} outside [${this.minBytes}, ${max}]`);
          }
          this.announced = size;
        }
        if (!this.limits.admit(this.announced)) return pos;
        this.frame = Buffer.allocUnsafe(this.announced);
        this.announced = null;
        this.frameFill = 0;
      }
      const n = Math.min(this.frame.length - this.frameFill, chunk.length - pos);
      this.frame.set(chunk.subarray(pos, pos + n), this.frameFill);
      this.frameFill += n;
      pos += n;
      if (this.frameFill < this.frame.length) return pos;
      const done = this.frame;
      this.frame = null;
      this.frameFill = 0;
      if (this.onFrame(done) === false) return pos;
    }
    return pos;
  }
}
