/**
 * `--mqtt-url` as the bridge's client reads it: `mqtt://` or `tcp://` (1883), `mqtts://` or
 * `ssl://` or `tls://` (8883, TLS), credentials in the user info (percent-decoded).
 */
export interface BrokerAddress {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
}

const schemes: Record<string, { tls: boolean; port: number }> = {
  "mqtt:": { tls: false, port: 1883 },
  "tcp:": { tls: false, port: 1883 },
  "mqtts:": { tls: true, port: 8883 },
  "ssl:": { tls: true, port: 8883 },
  "tls:": { tls: true, port: 8883 },
};

export function parseBrokerUrl(url: string): BrokerAddress {
  const u = new URL(url);
  const scheme = schemes[u.protocol];
  if (!scheme)
    throw new Error(`--mqtt-url ${u.protocol}//…: the bridge speaks mqtt:// and mqtts:// only`);
  if (!u.hostname) throw new Error(`--mqtt-url ${url}: no host`);
  return {
    // [::1] → ::1 for net.connect
    host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: u.port ? Number(u.port) : scheme.port,
    tls: scheme.tls,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}
