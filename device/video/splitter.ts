/**
 * Cuts an MJPEG byte stream (what `rpicam-vid --codec mjpeg` and `ffmpeg -f mjpeg` write) into
 * complete JPEG frames, whatever the pipe's chunk boundaries. It walks the JPEG marker structure
 * instead of searching for the first FF D9: an EXIF thumbnail inside APP1 is a whole JPEG of its
 * own, and its EOI is not the frame's end. Bytes outside frames (tool chatter, a torn frame
 * after a restart) are skipped.
 */
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

type Step = "more" | "again" | "frame";

export class JpegSplitter {
  private buf: Buffer = Buffer.alloc(0);
  /** next byte to examine */
  private pos = 0;
  /** where the frame being read starts; -1 while looking for one */
  private start = -1;
  /** inside entropy-coded data, where only FF xx (xx ≠ 00, RSTn) is a marker */
  private inScan = false;
  private frames: Buffer[] = [];

  constructor(private readonly maxFrameBytes = 16 * 1024 * 1024) {}

  /** Feeds a chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Buffer[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    let step: Step;
    do {
      step = this.start < 0 ? this.findStart() : this.inScan ? this.scan() : this.segment();
      if (this.start >= 0 && this.buf.length - this.start > this.maxFrameBytes) this.resync();
    } while (step !== "more");
    this.compact();
    return this.frames.splice(0);
  }

  private findStart(): Step {
    const at = this.buf.indexOf(Buffer.from([0xff, SOI]), this.pos);
    if (at < 0) {
      // keep a trailing FF: it may be the first half of the next SOI
      this.buf = this.buf.at(-1) === 0xff ? this.buf.subarray(-1) : Buffer.alloc(0);
      this.pos = 0;
      return "more";
    }
    this.start = at;
    this.pos = at + 2;
    this.inScan = false;
    return "again";
  }

  /** At a marker between segments: step over it (and its payload), or end the frame at EOI. */
  private segment(): Step {
    const b = this.buf;
    let p = this.pos;
    while (p + 1 < b.length && b[p] === 0xff && b[p + 1] === 0xff) p++; // fill bytes
    this.pos = p;
    if (p + 2 > b.length) return "more";
    if (b[p] !== 0xff) return this.resync();
    const marker = b[p + 1];
    if (marker === EOI) return this.emit(p + 2);
    if (marker === SOI) {
      // a new frame began before this one ended: the old one was torn
      this.start = p;
      this.pos = p + 2;
      return "again";
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      this.pos = p + 2;
      return "again";
    }
    if (p + 4 > b.length) return "more";
    const length = b.readUInt16BE(p + 2);
    if (length < 2) return this.resync();
    this.pos = p + 2 + length;
    this.inScan = marker === SOS;
    return "again";
  }

  /** In entropy-coded data: find the next real marker. */
  private scan(): Step {
    const b = this.buf;
    for (;;) {
      const at = b.indexOf(0xff, this.pos);
      if (at < 0 || at + 1 >= b.length) {
        this.pos = at < 0 ? Math.max(this.pos, b.length) : at;
        return "more";
      }
      const next = b[at + 1];
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) this.pos = at + 2;
      else if (next === 0xff) this.pos = at + 1;
      else {
        this.pos = at;
        this.inScan = false;
        return "again";
      }
    }
  }

  private emit(end: number): Step {
    this.frames.push(Buffer.from(this.buf.subarray(this.start, end)));
    this.buf = this.buf.subarray(end);
    this.pos = 0;
    this.start = -1;
    return "again";
  }

  /** The bytes do not parse as a JPEG (or grew too big): look for the next SOI after this one. */
  private resync(): Step {
    this.pos = this.start + 2;
    this.start = -1;
    this.inScan = false;
    return "again";
  }

  /** Drops consumed bytes so the buffer holds at most one partial frame. */
  private compact(): void {
    const keep = this.start >= 0 ? this.start : Math.min(this.pos, this.buf.length);
    if (keep === 0) return;
    this.buf = this.buf.subarray(keep);
    this.pos -= keep;
    if (this.start >= 0) this.start = 0;
  }
}
