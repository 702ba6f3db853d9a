import { listGroups, type ListGroupsResponse } from "../../protocol/list-groups/index.ts";
import { defineHandler, type RequestContext } from "../context.ts";

export const listGroupsHandler = defineHandler({
  api: listGroups,
  handle: (_req: unknown, { broker }: RequestContext): ListGroupsResponse => ({
    throttleTimeMs: 0,
    errorCode: 0,
    groups: broker.groups.listGroups(),
  }),
});
