/**
 * Turns a captured picture into what the device sends: a JPEG of the configured size with the
 * capture time stamped in its top-left corner. Shared by the camera and the video source.
 */
import type { Sharp } from "../sharp/index.ts";
import { formatStampTime, renderStamp } from "./stamp.ts";
import type { RawRgb } from "./pattern.ts";

export { formatStampTime, renderStamp } from "./stamp.ts";
export { testPattern, type RawRgb } from "./pattern.ts";

export interface FinishOptions {
  width: number;
  height: number;
  /** when the picture was taken */
  at: Date;
  quality?: number;
}

/** An encoded image (JPEG from a camera tool) or raw pixels (the test pattern). */
export type Picture = Buffer | RawRgb;

export async function finishJpeg(
  sharp: Sharp,
  picture: Picture,
  opts: FinishOptions,
): Promise<Buffer> {
  const stamp = renderStamp(formatStampTime(opts.at), opts.width, opts.height);
  const input = Buffer.isBuffer(picture)
    ? sharp(picture)
    : sharp(picture.data, { raw: { width: picture.width, height: picture.height, channels: 3 } });
  return input
    .rotate() // honour EXIF orientation before cropping
    .resize(opts.width, opts.height, { fit: "cover" })
    .composite([
      {
        input: stamp.data,
        raw: { width: stamp.width, height: stamp.height, channels: 4 },
        left: 0,
        top: 0,
      },
    ])
    .jpeg({ quality: opts.quality ?? 85 })
    .toBuffer();
}
