/**
 * Small append-only files of JSON entries, each framed `int32 length, uint32 crc32c, body`, so
 * a torn or corrupt tail (a crash mid-append) is recognised and dropped on load. Used for the
 * committed consumer offsets and the bridge's spool.
 */
import { crc32c } from "../checksum/crc32c.ts";

export function encodeEntry(entry: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(entry));
  const head = Buffer.alloc(8);
  head.writeInt32BE(body.length, 0);
  head.writeUInt32BE(crc32c(body), 4);
  return Buffer.concat([head, body]);
}

/** Every intact entry from the start, with its size; `validBytes` < length means a bad tail. */
export function decodeEntries<T>(buf: Buffer): {
  entries: Array<{ entry: T; bytes: number }>;
  validBytes: number;
} {
  const entries: Array<{ entry: T; bytes: number }> = [];
  let pos = 0;
  while (pos + 8 <= buf.length) {
    const len = buf.readInt32BE(pos);
    if (len < 0 || pos + 8 + len > buf.length) break;
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (crc32c(body) !== buf.readUInt32BE(pos + 4)) break;
    let entry: T;
    try {
      entry = JSON.parse(body.toString("utf8")) as T;
    } catch {
      break;
    }
    entries.push({ entry, bytes: 8 + len });
    pos += 8 + len;
  }
  return { entries, validBytes: pos };
}
