import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";
import * as v4 from "./v4.ts";

export const offsetFetch = defineApi(9, "OffsetFetch", 6, { 1: v1, 2: v2, 3: v3, 4: v4 });
export type OffsetFetchRequest = Infer<typeof v4.request>;
export type OffsetFetchResponse = Infer<typeof v4.response>;
