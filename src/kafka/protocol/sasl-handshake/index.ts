import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";

export const saslHandshake = defineApi(17, "SaslHandshake", 99, { 0: v0, 1: v1 });
export type SaslHandshakeRequest = Infer<typeof v1.request>;
export type SaslHandshakeResponse = Infer<typeof v1.response>;
