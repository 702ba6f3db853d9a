import { beforeAll, describe, expect, test } from "bun:test";
import { tinyJpeg } from "../../test/support/jpeg.ts";
import { loadSharp } from "../../src/core/image/sharp/index.ts";
import { JpegSplitter } from "./splitter.ts";

/** Deterministic uniform [0, 1) (LCG), so a failing chunking can be replayed. */
function seeded(seed: number) {
  return () => (seed = (seed * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
}

/** A JPEG whose APP1 segment carries a whole JPEG (a thumbnail) with its own SOI and EOI. */
function withThumbnail(outer: Buffer, thumb: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from("Exif\0\0"), thumb]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([outer.subarray(0, 2), app1, payload, outer.subarray(2)]);
}

function splitAll(stream: Buffer, chunkSizes: () => number): Buffer[] {
  const splitter = new JpegSplitter();
  const out: Buffer[] = [];
  for (let i = 0; i < stream.length;) {
    const n = Math.max(1, chunkSizes());
    out.push(...splitter.push(stream.subarray(i, i + n)));
    i += n;
  }
  return out;
}

let frames: Buffer[];
beforeAll(async () => {
  const sharp = await loadSharp();
  // real encoder output: entropy data full of FF 00 stuffing; progressive ones have many scans
  const make = (i: number, progressive = false) =>
    sharp({
      create: {
        width: 40 + i * 8,
        height: 30,
        channels: 3,
        background: "#000",
        noise: { type: "gaussian", mean: 128, sigma: 60 },
      },
    })
      .jpeg({ progressive, quality: 90 })
      .toBuffer();
  frames = [await make(0), await make(1, true), await make(2), await make(3, true)];
  frames.push(withThumbnail(await make(4), frames[0]));
  frames.push(tinyJpeg(7));
});

describe("JpegSplitter", () => {
  test("whole frames back, byte for byte, under 200 random chunkings", () => {
    const stream = Buffer.concat(frames);
    const random = seeded(1);
    for (let round = 0; round < 200; round++) {
      const max = [1, 3, 64, 1000, stream.length][round % 5];
      const out = splitAll(stream, () => Math.ceil(random() * max));
      expect(out).toEqual(frames);
    }
  });

  test("an EXIF thumbnail's EOI does not end the frame", () => {
    const out = splitAll(frames[4], () => 7);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual(frames[4]);
  });

  test("garbage between frames and a torn frame are skipped; the frames after them come out", () => {
    const garbage = Buffer.from(
      "[0:01:02.345] INFO RPI pipeline started \xff\x00\xff\xff junk",
      "latin1",
    );
    const torn = frames[2].subarray(0, frames[2].length / 2);
    const stream = Buffer.concat([
      garbage,
      frames[0],
      garbage,
      torn,
      frames[1],
      garbage,
      frames[3],
    ]);
    const random = seeded(9);
    for (let round = 0; round < 50; round++) {
      const out = splitAll(stream, () => Math.ceil(random() * 300));
      expect(out).toEqual([frames[0], frames[1], frames[3]]);
    }
  });

  test("a frame that never ends is dropped at the size limit instead of growing forever", () => {
    const splitter = new JpegSplitter(10_000);
    const endless = Buffer.concat([frames[0].subarray(0, 200), Buffer.alloc(50_000, 0x11)]);
    expect(splitter.push(endless)).toEqual([]);
    expect(splitter.push(frames[1])).toEqual([frames[1]]);
  });

  test("nothing but garbage: no frames, no growth", () => {
    const splitter = new JpegSplitter();
    for (let i = 0; i < 100; i++)
      expect(splitter.push(Buffer.alloc(10_000, i % 2 ? 0xff : 0x00))).toEqual([]);
    expect(splitter.push(frames[0])).toEqual([frames[0]]);
  });
});
