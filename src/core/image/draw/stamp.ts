/**
 * The time stamp burnt into every snapshot and frame (what the seed's `annotate_text` did on the
 * camera): white text on a translucent black box, drawn pixel by pixel into an RGBA buffer that
 * sharp composites over the image.
 */
import { glyphHeight, glyphWidth, ink } from "./font.ts";

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

/** `2026-11-22 10:00:00`, in the device's local time, like the seed's datetime.now(). */
export function formatStampTime(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ` +
    `${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`
  );
}

/** Pixels per font pixel: readable on a 500×500 snapshot and on 1080p, never wider than the image. */
export function stampScale(text: string, imageWidth: number, imageHeight: number): number {
  let scale = Math.max(1, Math.floor(Math.min(imageWidth, imageHeight) / 200));
  while (scale > 1 && stampSize(text, scale).width > imageWidth) scale--;
  return scale;
}

function stampSize(text: string, scale: number) {
  const pad = 2 * scale;
  return {
    width: (text.length * (glyphWidth + 1) - 1) * scale + 2 * pad,
    height: glyphHeight * scale + 2 * pad,
    pad,
  };
}

/** Renders `text`, clipped to at most maxWidth × maxHeight. */
export function renderStamp(text: string, maxWidth: number, maxHeight: number): RawImage {
  const scale = stampScale(text, maxWidth, maxHeight);
  const size = stampSize(text, scale);
  const width = Math.min(size.width, maxWidth);
  const height = Math.min(size.height, maxHeight);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const on = isInk(text, scale, size.pad, x, y);
      data[o] = data[o + 1] = data[o + 2] = on ? 255 : 0;
      data[o + 3] = on ? 255 : 150;
    }
  }
  return { data, width, height, channels: 4 };
}

function isInk(text: string, scale: number, pad: number, x: number, y: number): boolean {
  const fx = Math.floor((x - pad) / scale);
  const fy = Math.floor((y - pad) / scale);
  if (x < pad || y < pad || fy >= glyphHeight) return false;
  const cell = glyphWidth + 1;
  const ch = text[Math.floor(fx / cell)];
  return ch !== undefined && ink(ch, fx % cell, fy);
}
