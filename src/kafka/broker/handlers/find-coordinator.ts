import { ErrorCode } from "../../protocol/errors.ts";
import {
  findCoordinator,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
} from "../../protocol/find-coordinator/index.ts";
import { advertisedHost, defineHandler, type RequestContext } from "../context.ts";

const GROUP = 0;

/**
 * One node: it coordinates every group, at the same id/host/port as in Metadata. Not checked
 * against the principal: it reveals nothing, and a refusal here reaches kafkajs users only as
 * "Failed to find group coordinator"; the group requests themselves answer GROUP_AUTHORIZATION_FAILED.
 */
export const findCoordinatorHandler = defineHandler({
  api: findCoordinator,
  handle(req: FindCoordinatorRequest, ctx: RequestContext): FindCoordinatorResponse {
    const self = {
      nodeId: ctx.broker.nodeId,
      host: advertisedHost(ctx),
      port: ctx.broker.advertised.port,
    };
    if ((req.keyType ?? GROUP) !== GROUP) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
        errorMessage: "transactions are not supported",
        nodeId: -1,
        host: "",
        port: -1,
      };
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, ...self };
  },
});
