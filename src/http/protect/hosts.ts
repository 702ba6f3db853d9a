/**
 * Which `Host` names this server answers to — the defence against DNS rebinding, where a page
 * on an attacker's name re-resolves that name to this server and reads it as same-origin.
 * Rebinding needs a name the attacker controls, so IP literals are always safe; names are:
 * `localhost`, the bound address, this machine's hostname (when bound to every interface), and
 * the operator's `--allowed-hosts` (`.example.com` also allows its subdomains; `*` turns the
 * check off, e.g. behind a proxy that checks Host itself). The port is not compared: a rebinding
 * page must already use this server's port to be same-origin with it.
 */
import { isIP } from "node:net";
import { hostname as machineName } from "node:os";

export interface HostPolicy {
  hostAllowed(host: string): boolean;
  /** a name the operator configured: an `Origin` on it is trusted (a proxy in front) */
  configured(host: string): boolean;
}

/** `Host`/`Origin` authority → bare lower-case name (IPv6 without brackets), or undefined. */
export function hostName(authority: string): string | undefined {
  const a = authority.trim().toLowerCase();
  const m = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(a) ?? /^([^:[\]/@\s]+)(?::\d{1,5})?$/.exec(a);
  return m ? m[1]!.replace(/\.$/, "") : undefined;
}

export function hostPolicy({
  bind,
  allowed = [],
}: {
  bind: string;
  allowed?: string[];
}): HostPolicy {
  const names = allowed.map((n) => n.trim().toLowerCase().replace(/\.$/, "")).filter(Boolean);
  const any = names.includes("*");
  const configured = (name: string) =>
    names.some(
      (n) => n === name || (n.startsWith(".") && (name.endsWith(n) || name === n.slice(1))),
    );
  const own = new Set(["localhost", bind.toLowerCase().replace(/^\[|\]$/g, "")]);
  if (bind === "0.0.0.0" || bind === "::") {
    const me = machineName().toLowerCase();
    own.add(me).add(`${me}.local`);
  }
  return {
    hostAllowed(host) {
      if (any) return true;
      const name = hostName(host);
      if (name === undefined) return false;
      return isIP(name) !== 0 || own.has(name) || configured(name);
    },
    configured: (host) => {
      const name = hostName(host);
      return name !== undefined && (any || configured(name));
    },
  };
}
