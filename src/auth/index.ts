export {
  createToken,
  listTokens,
  revokeToken,
  verifyToken,
  tokenKinds,
  type TokenKind,
} from "./tokens.ts";
export { devicePublishAllowed, isLoopback, requiresAuth } from "./policy.ts";
export { internalSecret, INTERNAL_USER } from "./internal-secret.ts";
export { loginRoutes, requireHttpToken, SESSION_COOKIE, type HttpAuthOptions } from "./http.ts";
export { defaultSessionTimes, type SessionTimes } from "./sessions.ts";
