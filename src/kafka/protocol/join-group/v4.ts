/** JoinGroup v4: same layout as v2; a new member may be told MEMBER_ID_REQUIRED (KIP-394). */
export { request, response } from "./v2.ts";
