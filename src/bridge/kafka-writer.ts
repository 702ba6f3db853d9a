/**
 * Hands bridged records to Kafka in batches — one `sendBatch` (acks=-1) in flight by default:
 * kafkajs lets a later concurrent sendBatch overtake an earlier one (e.g. one still waiting on
 * metadata), which would reorder a device's records — and resolves each record's
 * promise only once Kafka acknowledged it or, while Kafka is unreachable, once it is fsynced in
 * the spool. Spooled records drain first, in order, before anything new is sent.
 *
 * Batching adapts to the load: while fewer than `maxInFlight` batches are in flight, the records
 * of one event-loop turn leave together at its end (one MQTT connection waiting for its PUBACK
 * gets one round trip, not a timer); otherwise newcomers gather until a send ends, or up to
 * `maxBatch` (while the spool drains or Kafka is down, they join the spool after `lingerMs`).
 * With `maxInFlight` > 1 the producer must append in call order (the embedded broker's does;
 * kafkajs does not), and a batch refused for good is retried record by record
 * after later batches were sent — the bridge's batches stay far below the broker's size limit
 * and its rules' topic names are checked at start, so only a single record is ever refused.
 */
import { isRejection, type RecordProducer } from "../bus/index.ts";
import { isDiskError } from "../core/disk/errors.ts";
import type { Logger } from "../core/log/index.ts";
import type { KafkaRecord } from "./mapping.ts";
import { sendRecords } from "./send-records.ts";
import type { Spool } from "./spool.ts";

interface Pending {
  record: KafkaRecord;
  done: (err?: Error) => void;
}

export interface KafkaWriterOptions {
  maxBatch?: number;
  /** a batch stops growing here (a bigger record goes alone): brokers cap request sizes */
  maxBatchBytes?: number;
  lingerMs?: number;
  /** more than 1 trades per-device order for throughput (see test/bridge/order.test.ts) */
  maxInFlight?: number;
  /** after a failed send, records go straight to the spool this long before Kafka is retried */
  retryAfterMs?: number;
  /** devices wait at most this long for Kafka before their records are spooled instead */
  sendTimeoutMs?: number;
  /** told of every count change, e.g. to feed a metrics counter */
  onCount?: (outcome: keyof WriterCounts, n: number) => void;
}

export interface WriterCounts {
  sent: number;
  spooled: number;
  drained: number;
  /** records Kafka refused for good (e.g. over its size limit): dropped, logged */
  rejected: number;
}

export class KafkaWriter {
  readonly counts: WriterCounts = { sent: 0, spooled: 0, drained: 0, rejected: 0 };
  private queue: Pending[] = [];
  private inflight = 0;
  /** a spool drain is exclusive: nothing new overtakes what waited on disk */
  private draining = false;
  private scheduled = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly retryTimer: ReturnType<typeof setInterval>;
  private downUntil = 0;
  private lastSendOk = true;
  private readonly maxBatch: number;
  private readonly maxBatchBytes: number;
  private readonly lingerMs: number;
  private readonly maxInFlight: number;
  private readonly retryAfterMs: number;
  private readonly sendTimeoutMs: number;
  private readonly onCount: KafkaWriterOptions["onCount"];

  constructor(
    private readonly producer: RecordProducer,
    private readonly spool: Spool,
    private readonly log: Logger,
    opts: KafkaWriterOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 2000;
    this.maxBatchBytes = opts.maxBatchBytes ?? 1 << 20;
    this.lingerMs = opts.lingerMs ?? 2;
    this.maxInFlight = opts.maxInFlight ?? 1;
    this.retryAfterMs = opts.retryAfterMs ?? 1000;
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 3000;
    this.onCount = opts.onCount;
    this.retryTimer = setInterval(() => this.kick(), this.retryAfterMs);
    this.retryTimer.unref();
  }

  /** Kafka failed its last attempt and the retry window has not passed yet. */
  get kafkaDown(): boolean {
    return Date.now() < this.downUntil;
  }

  /** whether the last send to Kafka succeeded (stays false through a whole outage) */
  get kafkaReachable(): boolean {
    return this.lastSendOk;
  }

  write(record: KafkaRecord): Promise<void> {
    return new Promise((resolve, reject) =>
      this.writeThen(record, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** `write`, told by a callback: `done()` once the record is durable, `done(err)` if nowhere */
  writeThen(record: KafkaRecord, done: (err?: Error) => void): void {
    this.queue.push({ record, done });
    if (this.queue.length >= this.maxBatch || this.inflight < this.maxInFlight) this.kickSoon();
    // with every send in flight only a batch's end can send more, and it kicks: a timer then
    // would wake the loop for nothing (every lingerMs while the embedded broker's fsync gathers)
    else if (this.spool.length > 0 || this.kafkaDown)
      this.timer ??= setTimeout(() => this.kick(), this.lingerMs);
  }

  /**
   * Waits until every record written so far is in Kafka or the spool (a send stuck in kafkajs's
   * retries is waited for until its records were spooled), then stops.
   */
  async close(): Promise<void> {
    const deadline = Date.now() + this.sendTimeoutMs + 1000;
    while ((this.inflight > 0 || this.draining || this.queue.length > 0) && Date.now() < deadline) {
      this.kick();
      await Bun.sleep(5);
    }
    if (this.queue.length > 0) this.spoolBatch(this.queue.splice(0, this.queue.length));
    this.closed = true;
    clearInterval(this.retryTimer);
    if (this.timer) clearTimeout(this.timer);
  }

  /** after the current synchronous burst of writes, so they share one batch */
  private kickSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.kick();
    });
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed) return;
    // While a backlog waits on disk (or Kafka just failed), newcomers join it: order is kept.
    if (this.queue.length > 0 && (this.spool.length > 0 || this.kafkaDown)) {
      this.spoolBatch(this.queue.splice(0, this.queue.length));
    }
    if (this.spool.length > 0) return this.drain();
    while (this.queue.length > 0 && this.inflight < this.maxInFlight) this.sendQueued();
  }

  /** One batch from the spool at a time, once direct batches in flight have landed. */
  private drain(): void {
    if (this.draining || this.inflight > 0 || this.kafkaDown) return;
    this.draining = true;
    const { items: records, end } = this.spool.peek(this.maxBatch, this.maxBatchBytes);
    this.deliver(records)
      .then(
        (rejected) => {
          if (this.closed) return;
          this.spool.ack(end);
          this.count("drained", records.length - rejected);
        },
        (e) => this.markDown(e),
      )
      .catch((e) => this.log.error("spool drain failed", { err: e }))
      .finally(() => {
        this.draining = false;
        this.kick();
      });
  }

  /**
   * A batch straight to Kafka. Past `sendTimeoutMs` its records are spooled (devices acked) but
   * the send still counts as in flight — so nothing drains meanwhile — until kafkajs settles it:
   * if Kafka took it after all, the spooled copies (then the oldest) are skipped.
   */
  private sendQueued(): void {
    const batch = this.queue.splice(0, this.batchLength());
    this.inflight++;
    let spooled: ReturnType<Spool["append"]> | null = null;
    const late = setTimeout(() => {
      if (this.closed) return;
      this.markDown(new Error(`no ack from kafka within ${this.sendTimeoutMs} ms`));
      spooled = this.spoolBatch(batch);
      this.kick(); // the newcomers queued behind it go to the spool too
    }, this.sendTimeoutMs);
    this.deliver(batch.map((p) => p.record))
      .then(
        (rejected) => {
          this.count("sent", batch.length - rejected);
          if (!spooled) return this.settle(batch);
          if (this.closed) return; // the copies are sent again after a restart
          if (this.spool.isHead(spooled.start)) this.spool.ack(spooled.end);
          else
            this.log.warn("late kafka ack; these records will be sent twice", { n: batch.length });
        },
        (e) => {
          if (spooled) return;
          this.markDown(e);
          this.spoolBatch(batch);
        },
      )
      .catch((e) => this.log.error("bridge send bookkeeping failed", { err: e }))
      .finally(() => {
        clearTimeout(late);
        this.inflight--;
        this.kick();
      });
  }

  /** how many queued records make the next batch: up to maxBatch, maxBatchBytes, at least one */
  private batchLength(): number {
    let n = 0;
    let bytes = 0;
    for (const { record } of this.queue) {
      bytes += recordBytes(record);
      if (n === this.maxBatch || (n > 0 && bytes > this.maxBatchBytes)) break;
      n++;
    }
    return n;
  }

  /**
   * Sends records; says how many Kafka refused. Should Kafka refuse the batch for good (not an outage), they are tried one
   * by one, and a record refused alone is dropped and counted — it must not block the rest.
   */
  private async deliver(records: KafkaRecord[]): Promise<number> {
    try {
      await this.send(records);
      return 0;
    } catch (e) {
      if (!isRejection(e)) throw e;
      if (records.length > 1) {
        let rejected = 0;
        for (const r of records) rejected += await this.deliver([r]);
        return rejected;
      }
      const r = records[0]!;
      this.count("rejected", 1);
      this.log.error("kafka refused a record; dropped", {
        topic: r.topic,
        key: r.key,
        bytes: r.value.length,
        err: e,
      });
      return 1;
    }
  }

  /**
   * Tells each record's writer (the broker's PUBACK path runs right here, not in a later
   * microtask): one that throws must not keep the records after it from being told.
   */
  private settle(batch: Pending[], err?: Error): void {
    for (const p of batch) {
      try {
        p.done(err);
      } catch (e) {
        this.log.error("bridge: telling a record's sender failed", { err: e });
      }
    }
  }

  private count(outcome: keyof WriterCounts, n: number): void {
    this.counts[outcome] += n;
    this.onCount?.(outcome, n);
  }

  private markDown(err: unknown): void {
    if (this.lastSendOk) this.log.warn("kafka unreachable; spooling to disk", { err });
    this.lastSendOk = false;
    this.downUntil = Date.now() + this.retryAfterMs;
  }

  private spoolBatch(batch: Pending[]): ReturnType<Spool["append"]> | null {
    try {
      const where = this.spool.append(batch.map((p) => p.record));
      this.count("spooled", batch.length);
      this.settle(batch);
      return where;
    } catch (e) {
      // a full disk is logged once by the disk watch, not once per batch
      (isDiskError(e) ? this.log.debug : this.log.error)("spool append failed", {
        err: e,
        records: batch.length,
      });
      this.settle(batch, e as Error); // durable nowhere: no acknowledgement
      return null;
    }
  }

  private async send(records: KafkaRecord[]): Promise<void> {
    await sendRecords(this.producer, records, this.sendTimeoutMs);
    if (!this.lastSendOk) this.log.info("kafka reachable again");
    this.lastSendOk = true;
  }
}

/** about what a record adds to a request; headers count (devices' user properties can be ~10 KB) */
function recordBytes(r: KafkaRecord): number {
  let n = r.value.length + (r.key?.length ?? 0) + 100;
  for (const k in r.headers) n += k.length + r.headers[k]!.length + 4;
  return n;
}
