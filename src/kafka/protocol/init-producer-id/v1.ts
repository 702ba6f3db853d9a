/** InitProducerId v1: same layout as v0. */
export { request, response } from "./v0.ts";
