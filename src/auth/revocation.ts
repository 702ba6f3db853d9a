/**
 * A revoked token ends its live sessions within seconds: `iot token revoke` may run in another
 * process (it only deletes the row), so serve looks every `everyMs` at which tokens still exist
 * — one indexed read of ids, however many sessions — and closes the MQTT clients and Kafka
 * connections that logged in with one that does not.
 */
import type { Logger } from "../core/log/index.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import type { Principal } from "./roles.ts";
import { liveTokenIds } from "./tokens.ts";

export interface SessionHolder {
  name: string;
  /** closes the sessions whose principal matches; how many */
  disconnectWhere(match: (principal: Principal) => boolean): number;
}

export function watchRevocations(opts: {
  store: StoreEngine;
  holders: SessionHolder[];
  log: Logger;
  everyMs?: number;
}): { check(): Promise<void>; stop(): void } {
  const check = async () => {
    let live: Set<string>;
    try {
      live = await liveTokenIds(opts.store);
    } catch (err) {
      return opts.log.warn("cannot read the tokens to check live sessions", { err });
    }
    const revoked = (p: Principal) => p.tokenId !== null && !live.has(p.tokenId);
    for (const h of opts.holders) {
      const closed = h.disconnectWhere(revoked);
      if (closed > 0) opts.log.info("closed sessions of revoked tokens", { on: h.name, closed });
    }
  };
  const timer = setInterval(check, opts.everyMs ?? 2000);
  timer.unref?.();
  return { check, stop: () => clearInterval(timer) };
}
