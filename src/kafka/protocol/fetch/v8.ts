/** Fetch v8: same layout as v7 (throttling semantics, KIP-219). */
export { request, response } from "./v7.ts";
