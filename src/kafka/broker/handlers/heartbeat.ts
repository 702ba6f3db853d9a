import { ErrorCode } from "../../protocol/errors.ts";
import {
  heartbeat,
  type HeartbeatRequest,
  type HeartbeatResponse,
} from "../../protocol/heartbeat/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

export const heartbeatHandler = defineHandler({
  api: heartbeat,
  handle: (req: HeartbeatRequest, ctx: RequestContext): HeartbeatResponse =>
    refusal(ctx, { op: "group", group: req.groupId })
      ? { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }
      : { throttleTimeMs: 0, ...ctx.broker.groups.heartbeat(req) },
});
