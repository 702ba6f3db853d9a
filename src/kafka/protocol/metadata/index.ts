import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";
import * as v4 from "./v4.ts";
import * as v5 from "./v5.ts";

export const metadata = defineApi(3, "Metadata", 9, { 0: v0, 1: v1, 2: v2, 3: v3, 4: v4, 5: v5 });
/** v0 lacks the auto-create flag; v1+ topics may be null (= all). */
export type MetadataRequest = Infer<typeof v4.request>;
export type MetadataResponse = Infer<typeof v5.response>;
