/**
 * Who is on the other end of an MQTT or Kafka session, and what kind of power its token has.
 * `device`: its own data only (the default); `reader`: may read everything, write nothing;
 * `admin`: everything. iot's own clients (bridge, consumers, collector) are the internal
 * principal, which logs in with the data dir's secret, never with a token.
 */
/** Which listener a token opens: device = MQTT, http = writes over HTTP, kafka = SASL/PLAIN. */
export type TokenKind = "device" | "http" | "kafka";
export const tokenKinds: readonly TokenKind[] = ["device", "http", "kafka"];

export type Role = "device" | "reader" | "admin";
export const roles: readonly Role[] = ["device", "reader", "admin"];

export interface Principal {
  /** the token's subject (a device id, a Kafka user), or INTERNAL_USER */
  subject: string;
  role: Role;
  /** the token it logged in with; null for the internal principal (nothing to revoke) */
  tokenId: string | null;
}

/** May act as anyone: iot's own clients and admin tokens. */
export const isAdmin = (p: Principal) => p.role === "admin";
