/**
 * kill-serve: `kill -9` of `iot serve` (role all, embedded brokers) during an MQTT 5 QoS 1
 * publish load, restart on the same data dir and ports; the publishers reconnect and re-send
 * their un-acked messages. Every PUBACKed message must be stored exactly once.
 */
import { join } from "node:path";
import { freePorts, removeDir, sleep, startServe, tempDir, type Serve } from "./lib.ts";
import { PublisherPool } from "./publishers.ts";
import { result } from "./result.ts";
import { countStored, readReadings, waitForAllStored } from "./store.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";

const name = "kill-serve";

export const killServe: Scenario = {
  name,
  description:
    "kill -9 of `iot serve` during an MQTT 5 QoS 1 publish load, restarted on the same data dir: every PUBACKed reading is stored exactly once",
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const durationS = quick ? 8 : 60;
    const killsAtS = quick ? [3] : [12, 30, 48];
    const publishers = 4;
    const rate = 100;
    const dir = tempDir(name);
    const dataDir = join(dir, "data");
    const ports = await freePorts();
    const notes = [
      `${publishers} mqtt.js publishers (MQTT 5, QoS 1, ≤ 20 in flight each) at ${rate} msg/s each for ${durationS} s; kill -9 at ${killsAtS.join(", ")} s`,
    ];
    let serve: Serve = await startServe({ dataDir, ports, logDir: dir });
    const prefix = `chaos-kill-${Date.now().toString(36)}`;
    const pool = new PublisherPool({
      url: `mqtt://127.0.0.1:${ports.mqtt}`,
      prefix,
      publishers,
      rate,
      window: 20,
    });
    const inFlightAtKill = new Set<string>();
    try {
      await pool.start();
      const loadStart = Date.now();
      for (const at of killsAtS) {
        await sleep(Math.max(0, loadStart + at * 1000 - Date.now()));
        const ackedBefore = pool.acked.size;
        for (const id of pool.unacked()) inFlightAtKill.add(id);
        await serve.kill9();
        const down = Date.now();
        log(`${name}: killed -9 at ${at} s with ${ackedBefore} acknowledged; restarting`);
        serve = await startServe({ dataDir, ports, logDir: dir });
        notes.push(
          `kill -9 at ${at} s (${ackedBefore} acknowledged so far); ready again after ${((Date.now() - down) / 1000).toFixed(1)} s`,
        );
      }
      await sleep(Math.max(0, loadStart + durationS * 1000 - Date.now()));
      await pool.stop(30_000);
      log(`${name}: load done, ${pool.sent.size} sent, ${pool.acked.size} acknowledged`);
      if (pool.pending > 0) notes.push(`${pool.pending} messages never PUBACKed within 30 s`);
      const complete = await waitForAllStored(dataDir, prefix, pool.sent, pool.acked, 60_000);
      if (!complete) notes.push("not every acknowledged message was stored within 60 s");
      await pool.close();
      await serve.stop();
      const counts = countStored(pool.sent, pool.acked, readReadings(dataDir, prefix));
      const resent = counts.duplicatedMsgIds.filter((id) => inFlightAtKill.has(id)).length;
      notes.push(`${inFlightAtKill.size} messages were in flight (un-acked) at the kills`);
      if (counts.duplicated > 0)
        notes.push(
          `messages stored twice: ${counts.duplicatedMsgIds.length}, of which ${resent} were in flight at a kill (the client re-sent a message the kill kept it from seeing acked) and ${counts.duplicatedMsgIds.length - resent} had been PUBACKed before it (a server-side re-send)`,
        );
      return result(name, counts, t0, notes);
    } finally {
      await pool.close();
      await serve.stop();
      removeDir(dir);
    }
  },
};
