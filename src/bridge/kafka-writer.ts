/**
 * Hands bridged records to Kafka in batches (one `sendBatch` in flight, so order is kept), and
 * resolves each record's promise only once Kafka acknowledged it (acks=-1) — or, while Kafka is
 * unreachable, once it is durably in the spool. Spooled records drain first, in order.
 */
import type { Producer } from "kafkajs";
import type { Logger } from "../log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import type { KafkaRecord } from "./mapping.ts";
import type { Spool } from "./spool.ts";

interface Pending {
  record: KafkaRecord;
  done: (err?: Error) => void;
}

export class KafkaWriter {
  private queue: Pending[] = [];
  private inflight = 0;
  /** a spool drain is exclusive: nothing new overtakes what waited on disk */
  private draining = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private drainTimer: ReturnType<typeof setInterval>;
  private readonly sent;
  private readonly spooled;

  constructor(
    private readonly producer: Producer,
    private readonly spool: Spool,
    private readonly log: Logger,
    metrics: MetricsRegistry,
    private readonly maxBatch = 2000,
    private readonly lingerMs = 2,
    // One batch at a time: with more, a later batch could land in Kafka while an earlier one
    // fails over to the spool, and the order devices published in would be lost.
    private readonly maxInFlight = 1,
  ) {
    this.sent = metrics.counter("iot_bridge_records_total", "bridged records by outcome");
    this.spooled = this.sent;
    metrics.collect("iot_bridge_spool_records", "records waiting on disk for Kafka", () => [
      { value: spool.length },
    ]);
    metrics.collect(
      "iot_bridge_spool_dropped_total",
      "spooled records dropped at the size bound",
      () => [{ value: spool.dropped }],
    );
    this.drainTimer = setInterval(() => this.kick(), 1000);
    this.drainTimer.unref();
  }

  write(record: KafkaRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, done: (err) => (err ? reject(err) : resolve()) });
      if (this.queue.length >= this.maxBatch) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.lingerMs);
    });
  }

  get spoolLength(): number {
    return this.spool.length;
  }

  async close(): Promise<void> {
    clearInterval(this.drainTimer);
    while (this.inflight > 0 || this.queue.length > 0) {
      this.kick();
      await Bun.sleep(5);
    }
    this.spool.close();
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.draining || this.inflight >= this.maxInFlight) return;
    if (this.spool.length > 0 && this.inflight > 0) return; // let in-flight batches land first
    this.inflight++;
    this.step()
      .catch((e) => this.log.error("bridge writer failed", { err: e }))
      .finally(() => {
        this.inflight--;
        if (this.queue.length > 0 || this.spool.length > 0) this.kick();
      });
    if (this.queue.length > 0 && this.spool.length === 0) this.kick();
  }

  private async step(): Promise<void> {
    if (this.spool.length > 0) {
      this.draining = true;
      try {
        const backlog = this.spool.peek(this.maxBatch);
        await this.send(backlog);
        this.spool.remove(backlog.length);
        this.sent.inc({ outcome: "drained" }, backlog.length);
        if (this.spool.length > 0) return; // next step drains more before anything new
      } catch {
        return this.spoolQueue(); // still down: keep arrival order by spooling new records too
      } finally {
        this.draining = false;
      }
    }
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    try {
      await this.send(batch.map((p) => p.record));
      this.sent.inc({ outcome: "sent" }, batch.length);
      for (const p of batch) p.done();
    } catch (e) {
      this.log.warn("kafka unreachable, spooling", { records: batch.length, err: e });
      this.queue.unshift(...batch);
      this.spoolQueue();
    }
  }

  private spoolQueue(): void {
    const batch = this.queue.splice(0, this.queue.length);
    if (batch.length === 0) return;
    try {
      this.spool.append(batch.map((p) => p.record));
      this.spooled.inc({ outcome: "spooled" }, batch.length);
      for (const p of batch) p.done();
    } catch (e) {
      for (const p of batch) p.done(e as Error);
    }
  }

  private async send(records: KafkaRecord[]): Promise<void> {
    const byTopic = new Map<string, KafkaRecord[]>();
    for (const r of records) {
      let list = byTopic.get(r.topic);
      if (!list) byTopic.set(r.topic, (list = []));
      list.push(r);
    }
    await this.producer.sendBatch({
      acks: -1,
      timeout: 5000,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
      })),
    });
  }
}
