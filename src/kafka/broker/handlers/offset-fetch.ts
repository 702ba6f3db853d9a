import { ErrorCode } from "../../protocol/errors.ts";
import {
  offsetFetch,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
} from "../../protocol/offset-fetch/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

/**
 * Nothing committed → offset -1 with no error: the client then applies its reset policy. A
 * committed offset outside the log is answered as it is (its fetch gets OFFSET_OUT_OF_RANGE and
 * the client resets), and logged: the group is about to jump.
 */
export const offsetFetchHandler = defineHandler({
  api: offsetFetch,
  handle(req: OffsetFetchRequest, ctx: RequestContext): OffsetFetchResponse {
    const { broker } = ctx;
    if (refusal(ctx, { op: "group", group: req.groupId })) {
      const errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      return {
        throttleTimeMs: 0,
        errorCode, // v2+; v0–v1 carry it on each partition
        topics: (req.topics ?? []).map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((p) => ({
            partitionIndex: p,
            committedOffset: -1,
            metadata: "",
            errorCode,
          })),
        })),
      };
    }
    const wanted =
      req.topics ??
      Object.entries(Object.groupBy(broker.groups.offsets.list(req.groupId), (o) => o.topic)).map(
        ([name, list]) => ({ name, partitionIndexes: list!.map((o) => o.partition) }),
      );
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      topics: wanted.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) => {
          const c = broker.groups.fetchOffset(req.groupId, t.name, p);
          const log = broker.logs.partition(t.name, p);
          if (c && log && (c.offset > log.highWatermark || c.offset < log.logStartOffset)) {
            broker.log.warn("consumer group offset out of range: the group will reset", {
              group: req.groupId,
              topic: t.name,
              partition: p,
              committed: c.offset,
              start: log.logStartOffset,
              end: log.highWatermark,
            });
          }
          return {
            partitionIndex: p,
            committedOffset: c?.offset ?? -1,
            metadata: c?.metadata ?? "",
            errorCode: ErrorCode.NONE,
          };
        }),
      })),
    };
  },
});
