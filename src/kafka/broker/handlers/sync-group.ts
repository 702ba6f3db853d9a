import { ErrorCode } from "../../protocol/errors.ts";
import {
  syncGroup,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from "../../protocol/sync-group/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

export const syncGroupHandler = defineHandler({
  api: syncGroup,
  async handle(req: SyncGroupRequest, ctx: RequestContext): Promise<SyncGroupResponse> {
    if (refusal(ctx, { op: "group", group: req.groupId })) {
      const errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      return { throttleTimeMs: 0, errorCode, assignment: new Uint8Array(0) };
    }
    const { broker } = ctx;
    return { throttleTimeMs: 0, ...(await broker.groups.sync(req)) };
  },
});
