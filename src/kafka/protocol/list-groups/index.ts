import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";

export const listGroups = defineApi(16, "ListGroups", 3, { 0: v0, 1: v1, 2: v2 });
export type ListGroupsRequest = Infer<typeof v2.request>;
export type ListGroupsResponse = Infer<typeof v2.response>;
