/**
 * Whether a `--host` binds loopback only, decided on the addresses it resolves to (what the
 * listeners actually bind), not on its spelling: `127.1` and `::ffff:127.0.0.1` are loopback,
 * `0.0.0.0`, `::` and a name that also resolves to a routable address are not.
 */
import { lookup } from "node:dns/promises";
import { isIPv4, isIPv6 } from "node:net";

/** One numeric address: 127.0.0.0/8, ::1, or an IPv4-mapped 127.x address. */
export function isLoopbackAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""); // [::1], fe80::1%eth0
  if (isIPv4(ip)) return ip.startsWith("127.");
  if (!isIPv6(ip)) return false;
  const groups = expandIPv6(ip);
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return true; // ::1
  // ::ffff:a.b.c.d — IPv4-mapped: loopback when the IPv4 part is
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  return mapped && groups[6]! >> 8 === 127;
}

/** Eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail allowed). */
function expandIPv6(ip: string): number[] {
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split(".").map(Number) as [number, number, number, number];
    text =
      text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : new Array(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/**
 * Every address `host` resolves to (as the listeners resolve it), and whether all of them are
 * loopback. A name that does not resolve is an error naming it.
 */
export async function resolveHost(
  host: string,
): Promise<{ addresses: string[]; loopback: boolean }> {
  let found: { address: string }[];
  try {
    found = await lookup(host, { all: true, verbatim: true });
  } catch (e) {
    throw new Error(`--host ${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const addresses = found.map((a) => a.address);
  return { addresses, loopback: addresses.length > 0 && addresses.every(isLoopbackAddress) };
}
