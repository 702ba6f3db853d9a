import { resolveHost } from "./loopback.ts";

/**
 * Secure when exposed: on loopback everything is open; bound to any other address, devices,
 * HTTP writes and Kafka clients must authenticate — unless the operator says `--insecure`.
 * Loopback is decided on the addresses `host` resolves to, which are what gets bound.
 */
export async function requiresAuth(host: string, insecure: boolean): Promise<boolean> {
  if (insecure) return false;
  return !(await resolveHost(host)).loopback;
}
