import { listGroups, type ListGroupsResponse } from "../../protocol/list-groups/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

export const listGroupsHandler = defineHandler({
  api: listGroups,
  // only the groups this principal may use (Kafka lists those it may describe)
  handle: (_req: unknown, ctx: RequestContext): ListGroupsResponse => ({
    throttleTimeMs: 0,
    errorCode: 0,
    groups: ctx.broker.groups
      .listGroups()
      .filter((g) => !refusal(ctx, { op: "group", group: g.groupId }, { quiet: true })),
  }),
});
