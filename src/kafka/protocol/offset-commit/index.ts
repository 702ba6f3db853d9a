import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";
import * as v4 from "./v4.ts";
import * as v5 from "./v5.ts";

export const offsetCommit = defineApi(8, "OffsetCommit", 8, { 2: v2, 3: v3, 4: v4, 5: v5 });
export type OffsetCommitRequest = Infer<typeof v5.request>;
export type OffsetCommitResponse = Infer<typeof v5.response>;
