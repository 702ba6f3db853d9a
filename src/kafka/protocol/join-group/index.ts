import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";
import * as v4 from "./v4.ts";
import * as v5 from "./v5.ts";

export const joinGroup = defineApi(11, "JoinGroup", 6, {
  0: v0,
  1: v1,
  2: v2,
  3: v3,
  4: v4,
  5: v5,
});
/** v0 lacks rebalanceTimeoutMs; v0–v4 lack groupInstanceId. */
export type JoinGroupRequest = Infer<typeof v5.request>;
export type JoinGroupResponse = Infer<typeof v5.response>;
