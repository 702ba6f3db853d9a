import { ErrorCode } from "../../protocol/errors.ts";
import {
  listOffsets,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
} from "../../protocol/list-offsets/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

const LATEST = -1;
const EARLIEST = -2;

/** -2 → log start, -1 → the next offset (high watermark); a time → first batch at or after it. */
export const listOffsetsHandler = defineHandler({
  api: listOffsets,
  handle(req: ListOffsetsRequest, ctx: RequestContext): ListOffsetsResponse {
    const { broker } = ctx;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => {
        const denied = refusal(ctx, { op: "read", topic: t.name });
        return {
          name: t.name,
          partitions: t.partitions.map((p) => {
            const log = broker.logs.partition(t.name, p.partitionIndex);
            const out = {
              partitionIndex: p.partitionIndex,
              errorCode: 0,
              timestamp: -1,
              offset: -1,
            };
            if (denied) return { ...out, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
            if (!log) return { ...out, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
            if (p.timestamp === LATEST) return { ...out, offset: log.highWatermark };
            if (p.timestamp === EARLIEST) return { ...out, offset: log.logStartOffset };
            const found = log.offsetForTimestamp(p.timestamp);
            return found === null ? out : { ...out, offset: found, timestamp: p.timestamp };
          }),
        };
      }),
    };
  },
});
