import { ErrorCode } from "../../protocol/errors.ts";
import {
  offsetCommit,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
} from "../../protocol/offset-commit/index.ts";
import { isDiskError } from "../../../core/disk/errors.ts";
import { defineHandler, type RequestContext } from "../context.ts";

/** Committed offset = the next offset to consume; persisted before the answer. */
export const offsetCommitHandler = defineHandler({
  api: offsetCommit,
  async handle(
    req: OffsetCommitRequest,
    { broker }: RequestContext,
  ): Promise<OffsetCommitResponse> {
    const known = (t: string, p: number) => broker.logs.partition(t, p) !== undefined;
    const offsets = req.topics.flatMap((t) =>
      t.partitions
        .filter((p) => known(t.name, p.partitionIndex))
        .map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          metadata: p.committedMetadata,
        })),
    );
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
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: known(t.name, p.partitionIndex) ? code : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        })),
      })),
    };
  },
});
