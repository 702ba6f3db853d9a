import { ErrorCode } from "../../protocol/errors.ts";
import {
  joinGroup,
  type JoinGroupRequest,
  type JoinGroupResponse,
} from "../../protocol/join-group/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

/** Parked until the rebalance completes (bounded by the rebalance timeout). */
export const joinGroupHandler = defineHandler({
  api: joinGroup,
  async handle(req: JoinGroupRequest, ctx: RequestContext): Promise<JoinGroupResponse> {
    const { broker, version, clientId, conn } = ctx;
    if (refusal(ctx, { op: "group", group: req.groupId })) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
        generationId: -1,
        protocolName: "",
        leader: "",
        memberId: req.memberId,
        members: [],
      };
    }
    const result = await broker.groups.join({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId ?? null,
      clientId: clientId ?? "",
      clientHost: `/${conn.remote}`,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: version >= 1 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      requireKnownMemberId: version >= 4,
    });
    return { throttleTimeMs: 0, ...result };
  },
});
