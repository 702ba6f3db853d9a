/** OffsetCommit v4: same layout as v3. */
export { request, response } from "./v3.ts";
