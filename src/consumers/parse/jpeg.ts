import * as imgTest from "../../contracts/imgtest.ts";
import { BadRecord, byContract } from "./errors.ts";

export const maxImageBytes = 5 << 20;

/** JPEG bytes: SOI at the start, EOI at the end; width/height from the first SOFn marker. */
export function checkJpeg(buf: Buffer): { width: number | null; height: number | null } {
  if (buf.length > maxImageBytes)
    throw new BadRecord(`image of ${buf.length} bytes exceeds ${maxImageBytes}`);
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8)
    throw new BadRecord("not a JPEG (no SOI marker)");
  if (buf[buf.length - 2] !== 0xff || buf[buf.length - 1] !== 0xd9)
    throw new BadRecord("truncated JPEG (no EOI marker)");
  let i = 2;
  while (i + 9 < buf.length && buf[i] === 0xff) {
    const marker = buf[i + 1]!;
    const len = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return { width: null, height: null };
}

/** The seed's camera producer: `{"m_id","datetime","photo": base64 JPEG}`, by its contract. */
export function parseImgTest(value: Buffer): {
  deviceId: string;
  ts: number;
  jpeg: Buffer;
  msgId: string | null;
} {
  const o = byContract(imgTest.schema, value);
  const jpeg = Buffer.from(o.photo, "base64");
  checkJpeg(jpeg);
  return {
    deviceId: o.m_id ?? "unknown",
    ts: o.datetime,
    jpeg,
    msgId: o.msg_id ?? null, // the seed's m_id names the device, not the message
  };
}
