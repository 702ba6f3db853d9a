import { ErrorCode } from "../../protocol/errors.ts";
import {
  leaveGroup,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
} from "../../protocol/leave-group/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

/** v0–v2 name one member; v3 a batch. */
export const leaveGroupHandler = defineHandler({
  api: leaveGroup,
  handle(req: LeaveGroupRequest, ctx: RequestContext): LeaveGroupResponse {
    if (refusal(ctx, { op: "group", group: req.groupId }))
      return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, members: [] };
    const { broker } = ctx;
    const members = req.members ?? [{ memberId: req.memberId ?? "", groupInstanceId: null }];
    const result = broker.groups.leave(req.groupId, members);
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      members: result.members.map((m) => ({ ...m, groupInstanceId: null })),
    };
  },
});
