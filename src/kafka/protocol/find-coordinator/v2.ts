/** FindCoordinator v2: same layout as v1. */
export { request, response } from "./v1.ts";
