/**
 * The simulated camera's picture: colour bars that slide and shift hue with time and a box that
 * moves across once a minute, so consecutive snapshots and frames visibly differ.
 */
export interface RawRgb {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

export function testPattern(now: Date, width: number, height: number): RawRgb {
  const ms = now.getTime();
  const shift = Math.floor(ms / 40) % width; // bars slide one pixel per 40 ms
  const hue = (ms / 60_000) % 1; // colours cycle once a minute
  const box = Math.max(8, Math.floor(Math.min(width, height) / 6));
  const boxX = Math.floor(((ms % 60_000) / 60_000) * (width - box));
  const boxY = Math.floor(height / 2 - box / 2);
  const bars = [0, 1, 2, 3, 4, 5, 6].map((i) => rgb((hue + i / 7) % 1));
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBox = x >= boxX && x < boxX + box && y >= boxY && y < boxY + box;
      const bar = bars[Math.floor((((x + shift) % width) * 7) / width)];
      const shade = 0.55 + (0.45 * y) / height;
      const o = (y * width + x) * 3;
      data[o] = inBox ? 255 : bar[0] * shade;
      data[o + 1] = inBox ? 255 : bar[1] * shade;
      data[o + 2] = inBox ? 255 : bar[2] * shade;
    }
  }
  return { data, width, height, channels: 3 };
}

/** A saturated colour of hue h in [0, 1). */
function rgb(h: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return Math.round(255 * (1 - Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}
