/**
 * Records the bridge could not hand to Kafka, kept on disk in arrival order until Kafka is
 * back: `int32 length, uint32 crc32c, JSON {t, k, h, v(base64)}` per record, fsynced before the
 * device is acknowledged. A torn tail (crash mid-append) fails its CRC and is dropped on open.
 * Bounded: past `maxBytes` the oldest records are dropped, and counted.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { crc32c } from "../kafka/protocol/crc32c.ts";
import type { KafkaRecord } from "./mapping.ts";

export class Spool {
  private readonly path: string;
  private records: Array<{ record: KafkaRecord; bytes: number }> = [];
  private size = 0;
  private fd: number;
  dropped = 0;

  constructor(
    dir: string,
    private readonly maxBytes: number,
  ) {
    this.path = join(dir, "bridge-spool.log");
    if (existsSync(this.path)) this.load(readFileSync(this.path));
    this.rewrite(); // drops a torn tail, starts clean
    this.fd = openSync(this.path, "a");
  }

  get length(): number {
    return this.records.length;
  }

  get bytes(): number {
    return this.size;
  }

  /** Durable when it returns. */
  append(records: KafkaRecord[]): void {
    const encoded = records.map((r) => ({ record: r, buf: encode(r) }));
    const buf = Buffer.concat(encoded.map((e) => e.buf));
    writeSync(this.fd, buf);
    fsyncSync(this.fd);
    for (const e of encoded) {
      this.records.push({ record: e.record, bytes: e.buf.length });
      this.size += e.buf.length;
    }
    if (this.size > this.maxBytes) {
      while (this.size > this.maxBytes && this.records.length > 0) {
        this.size -= this.records.shift()!.bytes;
        this.dropped++;
      }
      this.rewrite();
    }
  }

  /** The oldest records, without removing them. */
  peek(max: number): KafkaRecord[] {
    return this.records.slice(0, max).map((r) => r.record);
  }

  /** Forget the `n` oldest records once Kafka has acknowledged them. */
  remove(n: number): void {
    for (const r of this.records.splice(0, n)) this.size -= r.bytes;
    this.rewrite();
  }

  close(): void {
    closeSync(this.fd);
  }

  private load(buf: Buffer): void {
    let pos = 0;
    while (pos + 8 <= buf.length) {
      const len = buf.readInt32BE(pos);
      if (len < 0 || pos + 8 + len > buf.length) break;
      const body = buf.subarray(pos + 8, pos + 8 + len);
      if (crc32c(body) !== buf.readUInt32BE(pos + 4)) break;
      const j = JSON.parse(body.toString("utf8"));
      this.records.push({
        record: { topic: j.t, key: j.k, headers: j.h, value: Buffer.from(j.v, "base64") },
        bytes: 8 + len,
      });
      this.size += 8 + len;
      pos += 8 + len;
    }
  }

  private rewrite(): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, "w");
    writeSync(fd, Buffer.concat(this.records.map((r) => encode(r.record))));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = openSync(this.path, "a");
    }
  }
}

function encode(r: KafkaRecord): Buffer {
  const body = Buffer.from(
    JSON.stringify({ t: r.topic, k: r.key, h: r.headers, v: r.value.toString("base64") }),
  );
  const head = Buffer.alloc(8);
  head.writeInt32BE(body.length, 0);
  head.writeUInt32BE(crc32c(body), 4);
  return Buffer.concat([head, body]);
}
