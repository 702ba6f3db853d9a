import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v3 from "./v3.ts";
import * as v4 from "./v4.ts";
import * as v5 from "./v5.ts";
import * as v6 from "./v6.ts";
import * as v7 from "./v7.ts";

export const produce = defineApi(0, "Produce", 9, { 3: v3, 4: v4, 5: v5, 6: v6, 7: v7 });
export type ProduceRequest = Infer<typeof v7.request>;
export type ProduceResponse = Infer<typeof v7.response>;
