import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";

export const leaveGroup = defineApi(13, "LeaveGroup", 4, { 0: v0, 1: v1, 2: v2, 3: v3 });
/** v0–v2 name one member (`memberId`); v3 a batch (`members`). */
export type LeaveGroupRequest = Partial<Infer<typeof v0.request>> &
  Partial<Infer<typeof v3.request>> & { groupId: string };
export type LeaveGroupResponse = Infer<typeof v3.response>;
