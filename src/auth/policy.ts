/**
 * Secure when exposed: on loopback everything is open; bound to any other address, devices,
 * HTTP writes and Kafka clients must authenticate — unless the operator says `--insecure`.
 */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function requiresAuth(host: string, insecure: boolean): boolean {
  return !insecure && !isLoopback(host);
}
