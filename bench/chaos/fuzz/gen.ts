/** Seeded choices for the fuzzers: one PRNG per listener, so a run replays from its seed. */
import { seededRandom } from "../../../test/support/random.ts";

export class Gen {
  readonly rnd: () => number;
  constructor(readonly seed: number) {
    this.rnd = seededRandom(seed);
  }
  /** 0 ≤ n < max */
  int(max: number): number {
    return Math.floor(this.rnd() * max);
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  /** Short printable junk, sometimes with control or non-ASCII characters. */
  text(max: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-._/ \u0000\u00e9\u2603"{}[]:,\\';
    let s = "";
    for (let i = 0, n = this.int(max + 1); i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

/** Integers at and around the edges that break parsers: sizes, counts, offsets, ids. */
export const boundaryInts = [
  0, 1, -1, 2, 127, 128, 255, 256, 32767, -32768, 65535, 65536, 2147483647, -2147483648,
];

/** Buffer mutations shared by the binary protocols, applied to bytes after `keep`. */
export function flipBytes(g: Gen, b: Buffer, keep: number): Buffer {
  const f = Buffer.from(b);
  if (f.length <= keep) return f;
  for (let i = 0, n = 1 + g.int(4); i < n; i++) {
    const at = keep + g.int(f.length - keep);
    f[at] = g.chance(0.5) ? f[at]! ^ (1 << g.int(8)) : g.int(256);
  }
  return f;
}

/** Writes a boundary value over 1, 2 or 4 bytes somewhere after `keep` (lengths, counts). */
export function stompInt(g: Gen, b: Buffer, keep: number): Buffer {
  const f = Buffer.from(b);
  const width = g.pick([1, 2, 4]);
  if (f.length < keep + width) return f;
  const at = keep + g.int(f.length - keep - width + 1);
  const v = g.pick(boundaryInts);
  if (width === 1) f[at] = v & 0xff;
  else if (width === 2) f.writeUInt16BE(v & 0xffff, at);
  else f.writeUInt32BE(v >>> 0, at);
  return f;
}
