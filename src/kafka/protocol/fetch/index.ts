import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v4 from "./v4.ts";
import * as v5 from "./v5.ts";
import * as v6 from "./v6.ts";
import * as v7 from "./v7.ts";
import * as v8 from "./v8.ts";
import * as v9 from "./v9.ts";
import * as v10 from "./v10.ts";
import * as v11 from "./v11.ts";

export const fetchApi = defineApi(1, "Fetch", 12, {
  4: v4,
  5: v5,
  6: v6,
  7: v7,
  8: v8,
  9: v9,
  10: v10,
  11: v11,
});
/** The v11 shape; older versions lack session, leader-epoch and rack fields (undefined). */
export type FetchRequest = Infer<typeof v11.request>;
export type FetchResponse = Infer<typeof v11.response>;
export type FetchPartitionRequest = Infer<
  typeof v11.request
>["topics"][number]["partitions"][number];
