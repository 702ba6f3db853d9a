/** Produce v7: same layout as v5 (ZStandard capability, KIP-110). */
export { request, response } from "./v5.ts";
