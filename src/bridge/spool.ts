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
import { decodeEntries, encodeEntry } from "../journal/index.ts";
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
    for (const { entry: j, bytes } of decodeEntries<Entry>(buf).entries) {
      this.records.push({
        record: { topic: j.t, key: j.k, headers: j.h, value: Buffer.from(j.v, "base64") },
        bytes,
      });
      this.size += bytes;
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

interface Entry {
  t: string;
  k: string | null;
  h: Record<string, string>;
  v: string;
}

function encode(r: KafkaRecord): Buffer {
  return encodeEntry({
    t: r.topic,
    k: r.key,
    h: r.headers,
    v: r.value.toString("base64"),
  } satisfies Entry);
}
