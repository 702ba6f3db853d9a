import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";
import * as v4 from "./v4.ts";
import * as v5 from "./v5.ts";
import * as v6 from "./v6.ts";
import * as v7 from "./v7.ts";

export const produce = defineApi(0, "Produce", 9, {
  0: v0,
  1: v1,
  2: v2,
  3: v3,
  4: v4,
  5: v5,
  6: v6,
  7: v7,
});
/** v0–v2 have no transactionalId. */
export type ProduceRequest = Infer<typeof v0.request> & { transactionalId?: string | null };
export type ProduceResponse = Infer<typeof v7.response>;
