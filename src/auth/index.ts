export {
  createToken,
  listTokens,
  liveTokenIds,
  revokeToken,
  tokenPrincipal,
  verifyToken,
  tokenKinds,
  type TokenKind,
} from "./tokens.ts";
export { requiresAuth } from "./policy.ts";
export { isLoopbackAddress, resolveHost } from "./loopback.ts";
export { roles, type Principal, type Role } from "./roles.ts";
export { subjectProblem } from "./subjects.ts";
export { mqttClientIdAllowed, mqttPublishAllowed, mqttSubscribeAllowed } from "./mqtt-policy.ts";
export { kafkaAllowed } from "./kafka-policy.ts";
export { watchRevocations, type SessionHolder } from "./revocation.ts";
export {
  internalPrincipal,
  internalSecret,
  isInternalLogin,
  INTERNAL_USER,
} from "./internal-secret.ts";
export { defaultSessionTimes, sessionRole, type SessionTimes } from "./sessions.ts";
