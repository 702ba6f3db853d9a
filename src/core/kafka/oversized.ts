/**
 * Records too large to hand to a sink, cut down where kafkajs decodes them: the record keeps
 * its offset, timestamp, key (when short) and headers, its value shrinks to a prefix, and a
 * header says how large the value was — so the sink's consumer can dead-letter it in reduced
 * form and commit past it, instead of holding tens of MiB or failing on it forever.
 */
import { readVarint, writeVarint } from "../codec/varint.ts";

/** Header a reduced record carries: the original value's size in bytes (decimal). */
export const OVERSIZED_HEADER = "iot.oversized-bytes";
/** How much of a reduced value, key or header value is kept. */
export const PREFIX_BYTES = 1024;
const MAX_KEPT_HEADERS = 64;

type Bytes = Buffer | null;

/** Rewrites the decompressed records of one batch; returns `data` itself when none is too large. */
export function reduceOversizedRecords(data: Buffer, maxRecordBytes: number): Buffer {
  const parts: Buffer[] = [];
  let copiedUpTo = 0;
  const pos = { at: 0 };
  while (pos.at < data.length) {
    const recordStart = pos.at;
    const length = readVarint(data, pos);
    const bodyStart = pos.at;
    pos.at += length;
    if (length < 0 || pos.at > data.length) throw new RangeError("record runs past the batch");
    if (length <= maxRecordBytes) continue;
    parts.push(data.subarray(copiedUpTo, recordStart), reduce(data.subarray(bodyStart, pos.at)));
    copiedUpTo = pos.at;
  }
  if (parts.length === 0) return data;
  parts.push(data.subarray(copiedUpTo));
  return Buffer.concat(parts);
}

/** One record body (attributes onwards) → the same record, reduced, with its length prefix. */
function reduce(body: Buffer): Buffer {
  const pos = { at: 1 }; // attributes
  const timestampDelta = readVarint(body, pos);
  const offsetDelta = readVarint(body, pos);
  const bytes = (): Bytes => {
    const n = readVarint(body, pos);
    if (n < 0) return null;
    const b = body.subarray(pos.at, pos.at + n);
    pos.at += n;
    return b;
  };
  const key = bytes();
  const value = bytes();
  const headers: Array<[Bytes, Bytes]> = [];
  const count = readVarint(body, pos);
  for (let i = 0; i < count; i++) headers.push([bytes(), bytes()]);

  const out: number[] = [body[0]!];
  writeVarint(out, timestampDelta);
  writeVarint(out, offsetDelta);
  const put = (b: Bytes) => {
    if (b === null) return writeVarint(out, -1);
    writeVarint(out, b.length);
    for (const x of b) out.push(x);
  };
  put(key && key.length <= PREFIX_BYTES ? key : null);
  put(value && value.subarray(0, PREFIX_BYTES));
  const kept = headers.filter(([k]) => k && k.length <= PREFIX_BYTES).slice(0, MAX_KEPT_HEADERS);
  writeVarint(out, kept.length + 1);
  for (const [k, v] of kept) (put(k), put(v && v.subarray(0, PREFIX_BYTES)));
  put(Buffer.from(OVERSIZED_HEADER));
  put(Buffer.from(String(value?.length ?? body.length)));
  const framed: number[] = [];
  writeVarint(framed, out.length);
  return Buffer.from([...framed, ...out]);
}
