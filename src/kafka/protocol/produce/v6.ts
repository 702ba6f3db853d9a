/** Produce v6: same layout as v5 (throttling semantics changed, KIP-219). */
export { request, response } from "./v5.ts";
