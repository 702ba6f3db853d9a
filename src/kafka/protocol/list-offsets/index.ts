import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";

export const listOffsets = defineApi(2, "ListOffsets", 6, { 1: v1, 2: v2, 3: v3 });
export type ListOffsetsRequest = Infer<typeof v3.request>;
export type ListOffsetsResponse = Infer<typeof v3.response>;
