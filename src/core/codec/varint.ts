/** Zig-zag varints (records inside a batch). Values stay within 32 bits here. */
export function writeVarint(out: number[], v: number): void {
  let u = v >= 0 ? v * 2 : -v * 2 - 1;
  while (u >= 0x80) {
    out.push((u % 128) | 0x80);
    u = Math.floor(u / 128);
  }
  out.push(u);
}

export function readVarint(buf: Uint8Array, pos: { at: number }): number {
  let u = 0;
  for (let shift = 0; shift < 63; shift += 7) {
    if (pos.at >= buf.length) throw new RangeError("varint runs past the end");
    const b = buf[pos.at++]!;
    u += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  throw new RangeError("varint too long");
}
