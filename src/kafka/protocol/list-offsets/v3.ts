/** ListOffsets v3: same layout as v2 (throttling semantics, KIP-219). */
export { request, response } from "./v2.ts";
