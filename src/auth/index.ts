export {
  createToken,
  listTokens,
  revokeToken,
  verifyToken,
  tokenKinds,
  type TokenKind,
} from "./tokens.ts";
export { devicePublishAllowed, requiresAuth } from "./policy.ts";
export { isLoopbackAddress, resolveHost } from "./loopback.ts";
export { internalSecret, INTERNAL_USER } from "./internal-secret.ts";
export { loginRoutes, requireHttpToken, SESSION_COOKIE, type HttpAuthOptions } from "./http.ts";
export { defaultSessionTimes, type SessionTimes } from "./sessions.ts";
