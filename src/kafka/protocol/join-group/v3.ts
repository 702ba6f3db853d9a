/** JoinGroup v3: same layout as v2. */
export { request, response } from "./v2.ts";
