import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";
import * as v3 from "./v3.ts";

export const createTopics = defineApi(19, "CreateTopics", 5, { 0: v0, 1: v1, 2: v2, 3: v3 });
export type CreateTopicsRequest = Infer<typeof v3.request>;
export type CreateTopicsResponse = Infer<typeof v3.response>;
