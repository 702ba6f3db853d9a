/** SaslHandshake v1: same layout as v0; the tokens then travel in SaslAuthenticate requests. */
export { request, response } from "./v0.ts";
