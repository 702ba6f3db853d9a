import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";

export const saslAuthenticate = defineApi(36, "SaslAuthenticate", 2, { 0: v0, 1: v1 });
export type SaslAuthenticateRequest = Infer<typeof v1.request>;
export type SaslAuthenticateResponse = Infer<typeof v1.response>;
