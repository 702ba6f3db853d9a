import { ErrorCode } from "../../protocol/errors.ts";
import {
  offsetCommit,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
} from "../../protocol/offset-commit/index.ts";
import { isDiskError } from "../../../core/disk/errors.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

/**
 * Committed offset = the next offset to consume; persisted before the answer. A commit that
 * moves a group off an offset outside its log (past the end after a truncation or a topic
 * created again, before the start after retention) is the group's reset: logged with both ends.
 * kafkajs commits -2 (earliest) or -1 (latest) when it resets; librdkafka commits the offset.
 */
export const offsetCommitHandler = defineHandler({
  api: offsetCommit,
  async handle(req: OffsetCommitRequest, ctx: RequestContext): Promise<OffsetCommitResponse> {
    const { broker } = ctx;
    const answer = (errorOf: (topic: string, partition: number) => number) => ({
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: errorOf(t.name, p.partitionIndex),
        })),
      })),
    });
    if (refusal(ctx, { op: "group", group: req.groupId }))
      return answer(() => ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const denied = new Set(
      req.topics.map((t) => t.name).filter((topic) => refusal(ctx, { op: "read", topic })),
    );
    const known = (t: string, p: number) => broker.logs.partition(t, p) !== undefined;
    const offsets = req.topics.flatMap((t) =>
      t.partitions
        .filter((p) => !denied.has(t.name) && known(t.name, p.partitionIndex))
        .map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          metadata: p.committedMetadata,
        })),
    );
    const resets = offsets.flatMap((o) => {
      const log = broker.logs.partition(o.topic, o.partition)!;
      const from = broker.groups.fetchOffset(req.groupId, o.topic, o.partition)?.offset;
      const [start, end] = [log.logStartOffset, log.highWatermark];
      if (from === undefined || (from >= start && from <= end) || from === o.offset) return [];
      const to = o.offset === -2 ? start : o.offset === -1 ? end : o.offset;
      return [{ group: req.groupId, topic: o.topic, partition: o.partition, from, to, start, end }];
    });
    const code = await broker.groups
      .commitOffsets({
        groupId: req.groupId,
        generationId: req.generationId,
        memberId: req.memberId,
        offsets,
      })
      .then(
        (c) => {
          if (c === ErrorCode.NONE && offsets.length > 0) broker.disk.accepted("kafka-offsets");
          return c;
        },
        (e) => {
          if (!isDiskError(e)) throw e;
          broker.disk.refused("kafka-offsets", e); // the client retries the commit
          return ErrorCode.KAFKA_STORAGE_ERROR;
        },
      );
    if (code === ErrorCode.NONE) {
      for (const r of resets) broker.log.warn("consumer group offset reset: was out of range", r);
    }
    return answer((topic, partition) =>
      denied.has(topic)
        ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
        : known(topic, partition)
          ? code
          : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
  },
});
