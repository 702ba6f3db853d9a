/**
 * SaslAuthenticate Response (Version: 1) => error_code error_message auth_bytes session_lifetime_ms
 *   session_lifetime_ms => INT64   (0: no re-authentication needed)
 * The request is the same as v0.
 */
import { int64, struct } from "../schema.ts";
import { responseFields } from "./v0.ts";

export { request } from "./v0.ts";
export const response = struct({ ...responseFields, sessionLifetimeMs: int64 });
