import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";
import * as v4 from "./v4.ts";

export const describeGroups = defineApi(15, "DescribeGroups", 5, {
  0: v0,
  1: v1,
  2: v2,
  3: v3,
  4: v4,
});
export type DescribeGroupsRequest = Infer<typeof v4.request>;
export type DescribeGroupsResponse = Infer<typeof v4.response>;
