/** Fetch v10: same layout as v9 (ZStandard capability). */
export { request, response } from "./v9.ts";
