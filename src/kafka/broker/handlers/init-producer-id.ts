import { ErrorCode } from "../../protocol/errors.ts";
import {
  initProducerId,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
} from "../../protocol/init-producer-id/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

// Unique across restarts without state on disk: start from the clock.
let nextProducerId = Date.now() * 1000;

/**
 * Gives idempotent producers an id so they can start. Their batches are stored as sent; the
 * broker does not deduplicate by sequence number (documented). Transactions are refused.
 */
export const initProducerIdHandler = defineHandler({
  api: initProducerId,
  handle(req: InitProducerIdRequest, ctx: RequestContext): InitProducerIdResponse {
    if (req.transactionalId !== null) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
        producerId: -1,
        producerEpoch: -1,
      };
    }
    if (refusal(ctx, { op: "idempotent-write" })) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
        producerId: -1,
        producerEpoch: -1,
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      producerId: nextProducerId++,
      producerEpoch: 0,
    };
  },
});
