/**
 * kafka-outage: external-Kafka mode. `iot serve --role brokers` is the Kafka cluster; a second
 * `iot serve --kafka-brokers <first>` takes an MQTT QoS 1 load. The broker is killed for the
 * outage and restarted; the bridge must acknowledge from its disk spool meanwhile and drain it
 * afterwards, in order, and every acknowledged reading must be stored exactly once.
 */
import { join } from "node:path";
import {
  freePorts,
  metric,
  removeDir,
  sleep,
  startServe,
  tempDir,
  until,
  type Serve,
} from "./lib.ts";
import { PublisherPool } from "./publishers.ts";
import { result } from "./result.ts";
import {
  countStored,
  outOfOrder,
  readReadings,
  waitForAllStored,
  type StoredReading,
} from "./store.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";

const name = "kafka-outage";

export const kafkaOutage: Scenario = {
  name,
  description:
    "the external Kafka broker of `iot serve --kafka-brokers` stopped during an MQTT QoS 1 load and restarted: the bridge spools, then drains in order; every acknowledged reading is stored once",
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const [beforeS, outageS, afterS] = quick ? [4, 10, 4] : [10, 60, 10];
    const publishers = 4;
    const rate = 50;
    const dir = tempDir(name);
    const kafkaDir = join(dir, "kafka");
    const appDir = join(dir, "app");
    const kafkaPorts = await freePorts();
    const notes = [
      `${publishers} mqtt.js publishers (MQTT 5, QoS 1) at ${rate} msg/s each: ${beforeS} s, then Kafka down (SIGKILL) for ${outageS} s, then ${afterS} s more`,
    ];
    let kafka: Serve = await startServe({
      dataDir: kafkaDir,
      ports: kafkaPorts,
      role: "brokers",
      logDir: dir,
    });
    const kafkaAddress = `127.0.0.1:${kafkaPorts.kafka}`;
    const app = await startServe({
      dataDir: appDir,
      ports: await freePorts(),
      args: ["--kafka-brokers", kafkaAddress],
      logDir: dir,
    });
    const prefix = `chaos-outage-${Date.now().toString(36)}`;
    const pool = new PublisherPool({
      url: `mqtt://127.0.0.1:${app.ports.mqtt}`,
      prefix,
      publishers,
      rate,
      window: 20,
    });
    try {
      await pool.start();
      await sleep(beforeS * 1000);
      const ackedBefore = pool.acked.size;
      const killedAt = Date.now();
      await kafka.kill9();
      log(`${name}: Kafka killed with ${ackedBefore} acknowledged; down for ${outageS} s`);
      let spoolPeak = 0;
      const downUntil = Date.now() + outageS * 1000;
      while (Date.now() < downUntil) {
        spoolPeak = Math.max(spoolPeak, await metric(app.ports.http, "iot_bridge_spool_records"));
        await sleep(1000);
      }
      const ackedDuring = pool.acked.size - ackedBefore;
      const restartAt = Date.now();
      kafka = await startServe({
        dataDir: kafkaDir,
        ports: kafkaPorts,
        role: "brokers",
        logDir: dir,
      });
      log(
        `${name}: Kafka back after ${((Date.now() - restartAt) / 1000).toFixed(1)} s of start-up`,
      );
      notes.push(
        `${ackedBefore} acknowledged before the outage, ${ackedDuring} during it (spool peak ${spoolPeak} records)`,
      );
      if (spoolPeak === 0)
        notes.push("the spool never held a record: the outage was not exercised");
      const drained = await until(
        async () => (await metric(app.ports.http, "iot_bridge_spool_records")) === 0,
        120_000,
        500,
      );
      notes.push(
        drained
          ? `spool drained ${((Date.now() - restartAt) / 1000).toFixed(1)} s after the broker restart began`
          : "the spool did not drain within 120 s",
      );
      await sleep(afterS * 1000);
      await pool.stop(30_000);
      if (pool.pending > 0) notes.push(`${pool.pending} messages never PUBACKed within 30 s`);
      const complete = await waitForAllStored(appDir, prefix, pool.sent, pool.acked, 90_000);
      if (!complete) notes.push("not every acknowledged message was stored within 90 s");
      await pool.close();
      await app.stop();
      const store = readReadings(appDir, prefix);
      const counts = countStored(pool.sent, pool.acked, store);
      const disorder = outOfOrder(store.rows);
      const rel = (rows: StoredReading[]) =>
        rows
          .map((r) => `${((r.ts - killedAt) / 1000).toFixed(2)} (p${r.partition}@${r.offset})`)
          .join(", ");
      notes.push(`the MQTT clients reconnected ${pool.reconnects} times`);
      if (counts.duplicated > 0) {
        const at = counts.duplicatedMsgIds.map((id) => pool.sent.get(id)!.ts - killedAt);
        notes.push(
          `the messages stored twice were published ${at.map((ms) => (ms / 1000).toFixed(2)).join(", ")} s after the broker was killed`,
        );
      }
      notes.push(
        disorder.length === 0
          ? "stored in publish order per device (ts increasing in row order)"
          : `${disorder.length} readings stored out of publish order (ts lower than an earlier row's), published ${rel(disorder.slice(0, 10))} s after the broker was killed`,
      );
      return result(name, counts, t0, notes, drained && spoolPeak > 0 && disorder.length === 0);
    } finally {
      await pool.close();
      await app.stop();
      await kafka.stop();
      removeDir(dir);
    }
  },
};
