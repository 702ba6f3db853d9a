import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";

export const initProducerId = defineApi(22, "InitProducerId", 2, { 0: v0, 1: v1 });
export type InitProducerIdRequest = Infer<typeof v1.request>;
export type InitProducerIdResponse = Infer<typeof v1.response>;
