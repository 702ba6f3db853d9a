import { ErrorCode } from "../../protocol/errors.ts";
import {
  produce,
  type ProduceRequest,
  type ProduceResponse,
} from "../../protocol/produce/index.ts";
import { scanBatches } from "../../protocol/record-batch.ts";
import { isDiskError, StorageError } from "../../../core/disk/errors.ts";
import { defineHandler, type RequestContext, refusal } from "../context.ts";

const TRANSACTIONAL_OR_CONTROL = 0x30;

/**
 * Validates every batch (CRC, lengths, magic 2, gzip records' decompressed size), assigns offsets, appends the bytes as sent.
 * acks=0 gets no response at all (kafkajs and librdkafka expect none); acks=1 and -1 wait for
 * the fsync policy (one node: the leader is the whole ISR).
 */
export const produceHandler = defineHandler({
  api: produce,
  async handle(req: ProduceRequest, ctx: RequestContext): Promise<ProduceResponse | null> {
    const { broker } = ctx;
    const flushes: Array<{ done: Promise<void>; result: { errorCode: number } }> = [];
    const badAcks = req.acks !== 0 && req.acks !== 1 && req.acks !== -1;
    let messages = 0;
    let diskRefused = false;
    let bytes = 0;
    const responses = req.topicData.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((pd) => {
        const result = {
          index: pd.index,
          errorCode: 0,
          baseOffset: -1,
          logAppendTimeMs: -1,
          logStartOffset: -1,
        };
        const log = broker.logs.partition(topic.name, pd.index);
        const fail = (code: number, reason: string) => {
          broker.log.debug("produce refused", {
            topic: topic.name,
            partition: pd.index,
            code,
            reason,
          });
          broker.metrics
            .counter("iot_kafka_produce_errors_total", "refused produce partitions")
            .inc({ code: String(code) });
          return { ...result, errorCode: code };
        };
        if (badAcks) return fail(ErrorCode.INVALID_REQUIRED_ACKS, `acks ${req.acks}`);
        if (req.transactionalId !== null)
          return fail(ErrorCode.INVALID_REQUEST, "transactions are not supported");
        if (!log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "no such partition");
        if (!pd.records || pd.records.length === 0)
          return fail(ErrorCode.CORRUPT_MESSAGE, "no records");
        const scan = scanBatches(pd.records, {
          maxBatchBytes: broker.maxMessageBytes,
          maxUncompressedBytes: broker.maxUncompressedBytes,
        });
        if (!scan.ok) return fail(scan.errorCode, scan.reason);
        if (scan.batches.some((b) => b.attributes & TRANSACTIONAL_OR_CONTROL)) {
          return fail(
            ErrorCode.INVALID_RECORD,
            "transactional and control batches are not supported",
          );
        }
        const refused = refusal(ctx, {
          op: "write",
          topic: topic.name,
          records: pd.records,
          batches: scan.batches,
        });
        if (refused) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED, refused);
        let baseOffset: number;
        try {
          ({ baseOffset } = log.append(pd.records, scan.batches));
        } catch (e) {
          if (!(e instanceof StorageError)) throw e;
          diskRefused = true;
          broker.disk.refused("kafka", e);
          return fail(ErrorCode.KAFKA_STORAGE_ERROR, e.message);
        }
        broker.logs.notifyAppend(topic.name, pd.index);
        for (const b of scan.batches) messages += b.recordsCount;
        bytes += pd.records.length;
        const ok = { ...result, baseOffset, logStartOffset: log.logStartOffset };
        flushes.push({ done: log.flushed(), result: ok });
        return ok;
      }),
    }));
    broker.metrics
      .counter("iot_kafka_messages_in_total", "records appended")
      .inc(undefined, messages);
    broker.metrics
      .counter("iot_kafka_bytes_in_total", "record bytes appended")
      .inc(undefined, bytes);
    const settled = Promise.allSettled(flushes.map((f) => f.done)).then((synced) => {
      let refused = diskRefused;
      synced.forEach((s, i) => {
        if (s.status === "fulfilled") return;
        // never a success for records whose sync failed (the log dropped them)
        const storage = isDiskError(s.reason);
        flushes[i]!.result.errorCode = storage
          ? ErrorCode.KAFKA_STORAGE_ERROR
          : ErrorCode.UNKNOWN_SERVER_ERROR;
        if (storage) broker.disk.refused("kafka", s.reason);
        else broker.log.error("fsync failed", { err: s.reason });
        refused = true;
      });
      if (!refused && flushes.length > 0) broker.disk.accepted("kafka");
    });
    if (req.acks === 0) return null; // nobody to tell; the sync's outcome is still reported
    await settled;
    return { responses, throttleTimeMs: 0 };
  },
});
