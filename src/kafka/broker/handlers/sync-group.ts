import {
  syncGroup,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from "../../protocol/sync-group/index.ts";
import { defineHandler, type RequestContext } from "../context.ts";

export const syncGroupHandler = defineHandler({
  api: syncGroup,
  async handle(req: SyncGroupRequest, { broker }: RequestContext): Promise<SyncGroupResponse> {
    return { throttleTimeMs: 0, ...(await broker.groups.sync(req)) };
  },
});
