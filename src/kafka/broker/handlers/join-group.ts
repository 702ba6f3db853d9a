import {
  joinGroup,
  type JoinGroupRequest,
  type JoinGroupResponse,
} from "../../protocol/join-group/index.ts";
import { defineHandler, type RequestContext } from "../context.ts";

/** Parked until the rebalance completes (bounded by the rebalance timeout). */
export const joinGroupHandler = defineHandler({
  api: joinGroup,
  async handle(
    req: JoinGroupRequest,
    { broker, version, clientId, conn }: RequestContext,
  ): Promise<JoinGroupResponse> {
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
