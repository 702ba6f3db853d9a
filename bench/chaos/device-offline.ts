/**
 * device-offline: `iot device` (simulated sensor, one reading a second) publishes to `iot serve`;
 * the server is stopped for the outage and started again on the same data dir and ports. The
 * device's on-disk outbox must deliver every reading, in order, once.
 */
import { join } from "node:path";
import {
  freePorts,
  removeDir,
  sleep,
  spawnIot,
  startServe,
  tail,
  tempDir,
  until,
  type Serve,
} from "./lib.ts";
import { sequenceCounts } from "./sequence.ts";
import { outOfOrder, readReadings } from "./store.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";

const name = "device-offline";
const intervalMs = 1000;

export const deviceOffline: Scenario = {
  name,
  description:
    "`iot serve` stopped for 5 minutes under a running `iot device` and restarted: the device's outbox delivers every reading, in order, once",
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const [beforeS, outageS, afterS] = quick ? [6, 15, 10] : [10, 300, 20];
    const dir = tempDir(name);
    const dataDir = join(dir, "data");
    const ports = await freePorts();
    const deviceId = `chaos-dev-${Date.now().toString(36)}`;
    const deviceLog = join(dir, "device.log");
    let serve: Serve = await startServe({ dataDir, ports, logDir: dir });
    const device = spawnIot(
      [
        "device",
        "--id",
        deviceId,
        "--server",
        `mqtt://127.0.0.1:${ports.mqtt}`,
        "--sensor",
        "sim",
        "--camera",
        "off",
        "--read-interval",
        String(intervalMs / 1000),
        "--data-dir",
        join(dir, "device"),
      ],
      deviceLog,
    );
    const stored = () => readReadings(dataDir, deviceId).rows;
    try {
      const exitedEarly = await Promise.race([device.exited.then(() => true), sleep(3000)]);
      if (exitedEarly)
        throw new Error(`iot device exited ${device.exitCode}: ${tail(deviceLog, 3)}`);
      if (!(await until(() => stored().length > 0, 30_000, 500)))
        throw new Error(`no reading from the device within 30 s: ${tail(deviceLog, 3)}`);
      await sleep(beforeS * 1000);
      const beforeOutage = stored().length;
      const stoppedAt = Date.now();
      await serve.stop();
      log(`${name}: serve stopped with ${beforeOutage} readings stored; offline for ${outageS} s`);
      await sleep(outageS * 1000);
      if (device.exitCode !== null)
        throw new Error(
          `iot device exited ${device.exitCode} during the outage: ${tail(deviceLog, 3)}`,
        );
      const restartAt = Date.now();
      serve = await startServe({ dataDir, ports, logDir: dir });
      // caught up: readings made after the restart are stored
      const caughtUp = await until(
        () => stored().some((r) => r.ts > Date.now() - 3000),
        120_000,
        1000,
      );
      const caughtUpS = (Date.now() - restartAt) / 1000;
      await sleep(afterS * 1000);
      device.kill("SIGTERM");
      await device.exited;
      await sleep(3000); // what the device flushed on its way out
      await serve.stop();
      const rows = stored();
      const seq = sequenceCounts(rows, intervalMs);
      const disorder = outOfOrder(rows);
      const duringOutage = new Set(
        rows.filter((r) => r.ts >= stoppedAt && r.ts < restartAt).map((r) => r.ts),
      ).size;
      const covered = duringOutage >= (outageS * 1000 * 0.8) / intervalMs;
      const notes = [
        `\`iot device --sensor sim --camera off --read-interval ${intervalMs / 1000}\`; serve up ${beforeS} s, stopped (SIGTERM) for ${outageS} s, restarted, ${afterS} s more, then the device stopped (SIGTERM)`,
        `${beforeOutage} readings stored before the outage; ${duringOutage} readings made during it arrived after the restart`,
        caughtUp
          ? `the outbox caught up ${caughtUpS.toFixed(1)} s after serve was restarted`
          : "the outbox had not caught up 120 s after the restart",
        `acknowledged = readings made from the first stored to the last, counted by ${seq.basis}`,
        disorder.length === 0
          ? "stored in the order made (ts increasing in row = Kafka offset order)"
          : `${disorder.length} readings stored out of order (e.g. ts ${disorder
              .slice(0, 3)
              .map((r) => r.ts)
              .join(", ")})`,
      ];
      if (seq.gaps.length) notes.push(`gaps: ${seq.gaps.join("; ")}`);
      if (seq.copies.length) notes.push(`stored twice: ${seq.copies.join(", ")}`);
      if (!covered) notes.push("fewer than 80% of the outage's readings were stored");
      return {
        name,
        sent: seq.made,
        acknowledged: seq.made,
        stored: seq.stored,
        lost: seq.missing,
        duplicated: seq.duplicated,
        pass:
          seq.missing === 0 && seq.duplicated === 0 && disorder.length === 0 && covered && caughtUp,
        notes,
        durationMs: Date.now() - t0,
      };
    } finally {
      device.kill("SIGKILL");
      await serve.stop();
      removeDir(dir);
    }
  },
};
