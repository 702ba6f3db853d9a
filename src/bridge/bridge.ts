/**
 * The MQTT → Kafka bridge core, shared by both front ends (embedded broker hook, external
 * broker subscriber): map each MQTT message by the rules, and resolve once it is safe to
 * acknowledge it — Kafka acked the record (acks=-1), or it is fsynced in the disk spool.
 */
import type { KafkaBus } from "../bus/index.ts";
import type { ComponentHealth } from "../health/index.ts";
import { topic as deadLetterTopic, wholeDeadLetter } from "../contracts/dead-letter.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import { keepConnecting } from "./keep-connecting.ts";
import { KafkaWriter, type KafkaWriterOptions } from "./kafka-writer.ts";
import { msgIdGenerator } from "../contracts/msg-id.ts";
import type { UserProperties } from "./identity.ts";
import { defaultRules, mapMessage, type KafkaRecord, type MappingRule } from "./mapping.ts";
import type { DiskReporter } from "../disk/reporter.ts";
import { ignoreDisk } from "../disk/reporter.ts";
import { ReportingSpool } from "./reporting-spool.ts";

export interface BridgeOptions {
  /** Kafka: in-process calls into the embedded broker, or kafkajs */
  kafka: KafkaBus;
  dataDir: string;
  log: Logger;
  metrics: MetricsRegistry;
  rules?: MappingRule[];
  /** disk spool bound while Kafka is unreachable (default 256 MiB) */
  spoolMaxBytes?: number;
  /**
   * Payloads above this go to the dead-letter topic without their bytes: Kafka would refuse
   * them (default: 8 MiB, the embedded broker's record limit, minus room for key and headers).
   */
  maxRecordBytes?: number;
  writer?: Omit<KafkaWriterOptions, "onCount">;
  /** told when the spool's disk refuses writes, and when it accepts them again */
  disk?: DiskReporter;
  /** see ProducerOptions.fsyncGatherMs: how long a PUBACK may wait to share an fdatasync */
  fsyncGatherMs?: number;
}

export interface BridgeCounts {
  bridged: number;
  unmapped: number;
  deadLettered: number;
  sent: number;
  spooled: number;
  drained: number;
  rejected: number;
  dropped: number;
}

export interface Bridge {
  /**
   * handle one MQTT message (with its MQTT 5 user properties, if any); resolves when it is safe
   * to acknowledge it
   */
  handle(topic: string, payload: Buffer, userProperties?: UserProperties): Promise<void>;
  /** `handle`, told by a callback (the embedded broker's per-message path: no promise each) */
  handleThen(
    topic: string,
    payload: Buffer,
    userProperties: UserProperties | undefined,
    done: (err?: Error) => void,
  ): void;
  /** records waiting on disk for Kafka */
  spooled(): number;
  counts(): BridgeCounts;
  /** for `/healthz`: down while Kafka is unreachable (records then go to the spool) */
  health(): ComponentHealth;
  stop(): Promise<void>;
}

/**
 * sends to the embedded broker waiting for their fsync at once: each turn's records are appended
 * as they come and join the round that is gathering (with 2, those arriving during a 20 ms gather
 * queued here, and after their append waited a second gather: PUBACKs and publish → stored took
 * up to twice as long)
 */
const inProcessInFlight = 64;

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const { log, metrics } = opts;
  const rules = opts.rules ?? defaultRules;
  const maxRecordBytes = opts.maxRecordBytes ?? (8 << 20) - (16 << 10);
  // Few retries: while Kafka is down, records go to the spool quickly instead of stalling acks.
  const producer = opts.kafka.producer({ retries: 2, fsyncGatherMs: opts.fsyncGatherMs });
  const connection = keepConnecting(producer, log);
  const spool = new ReportingSpool(
    opts.dataDir,
    opts.spoolMaxBytes ?? 256 << 20,
    opts.disk ?? ignoreDisk,
  );
  const messages = metrics.counter("iot_bridge_messages_total", "MQTT messages by outcome");
  // resolved once: label rendering per message was a visible share of the bridge's CPU
  const outcome = {
    bridged: messages.series({ outcome: "bridged" }),
    unmapped: messages.series({ outcome: "unmapped" }),
    deadLetter: messages.series({ outcome: "dead-letter" }),
  };
  const records = metrics.counter("iot_bridge_records_total", "records by outcome");
  metrics.collect("iot_bridge_spool_records", "records waiting on disk for Kafka", () => [
    { value: spool.length },
  ]);
  metrics.collect("iot_bridge_spool_bytes", "bytes waiting on disk for Kafka", () => [
    { value: spool.bytes },
  ]);
  metrics.collect("iot_bridge_spool_dropped_total", "spooled records dropped at the bound", () => [
    { value: spool.dropped },
  ]);
  const writer = new KafkaWriter(producer, spool, log, {
    // The embedded broker appends a send's records synchronously, in call order, before its
    // fsync: sends overlapping while earlier ones wait for their sync cannot overtake them, and
    // the next batch no longer waits a whole sync to be appended (publishers stall less).
    // kafkajs can reorder concurrent sendBatch calls: one at a time there.
    maxInFlight: opts.kafka.kind === "in-process" ? inProcessInFlight : 1,
    // a batch of several records is never refused as too large: only a lone record can be
    maxBatchBytes: Math.min(1 << 20, maxRecordBytes),
    ...opts.writer,
    onCount: (outcome, n) => records.inc({ outcome }, n),
  });
  const seen = { bridged: 0, unmapped: 0, deadLettered: 0 };
  // made when a message arrives, before it can be spooled: a re-send keeps its identity
  const newMsgId = msgIdGenerator();
  // Kafka down at start: do not hold `iot serve` up; records go to the spool until it connects.
  await Promise.race([connection.first, Bun.sleep(2000)]);

  const counts = (): BridgeCounts => ({ ...seen, ...writer.counts, dropped: spool.dropped });
  const deadLetter = (
    reason: string,
    mqttTopic: string,
    r: KafkaRecord,
    done: (err?: Error) => void,
  ) => {
    seen.deadLettered++;
    outcome.deadLetter.inc();
    log.debug("dead letter", { topic: mqttTopic, reason });
    writer.writeThen(deadLetterRecord(reason, mqttTopic, r), done);
  };
  const handleThen: Bridge["handleThen"] = (topic, payload, userProperties, done) => {
    const m = mapMessage(rules, topic, payload, Date.now(), { userProperties, newMsgId });
    if (m.kind === "record" && payload.length > maxRecordBytes) {
      const reason = `payload of ${payload.length} bytes is over the ${maxRecordBytes} limit`;
      return deadLetter(reason, topic, { ...m.record, value: Buffer.alloc(0) }, done);
    }
    if (m.kind === "record") {
      seen.bridged++;
      outcome.bridged.inc();
      return writer.writeThen(m.record, done);
    }
    if (m.kind === "unmapped") {
      seen.unmapped++;
      outcome.unmapped.inc();
      return done();
    }
    deadLetter(m.reason, topic, m.record, done);
  };
  return {
    handle: (topic, payload, userProperties) =>
      new Promise((resolve, reject) =>
        handleThen(topic, payload, userProperties, (err) => (err ? reject(err) : resolve())),
      ),
    handleThen,
    spooled: () => spool.length,
    counts,
    health: () => ({
      state: writer.kafkaReachable ? "up" : "down",
      detail: {
        kafka: writer.kafkaReachable ? "reachable" : "unreachable; spooling to disk",
        spooled: spool.length, // waiting on disk now
        spoolBytes: spool.bytes,
        counts: counts(), // since start
      },
    }),
    async stop() {
      connection.stop();
      await writer.close();
      spool.close();
      await producer.close().catch(() => {});
    },
  };
}

/** The bridge's dead letter in the product's one whole form, sent (or spooled) like any record. */
function deadLetterRecord(reason: string, mqttTopic: string, r: KafkaRecord): KafkaRecord {
  const letter = wholeDeadLetter({
    reason,
    source: `mqtt:${mqttTopic}`,
    key: r.key,
    value: r.value,
    at: Number(r.headers.received_at),
    msgId: r.headers.msg_id,
  });
  return { topic: deadLetterTopic, key: r.key, value: r.value, headers: letter.headers };
}
