import {
  heartbeat,
  type HeartbeatRequest,
  type HeartbeatResponse,
} from "../../protocol/heartbeat/index.ts";
import { defineHandler, type RequestContext } from "../context.ts";

export const heartbeatHandler = defineHandler({
  api: heartbeat,
  handle: (req: HeartbeatRequest, { broker }: RequestContext): HeartbeatResponse => ({
    throttleTimeMs: 0,
    ...broker.groups.heartbeat(req),
  }),
});
