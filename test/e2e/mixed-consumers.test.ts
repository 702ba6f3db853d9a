/**
 * `iot serve` (all roles) consumes through in-process members of its own broker; an extra
 * `iot serve --role consumers` process joins the same groups over TCP (kafkajs): they split the
 * partitions, and when the extra process leaves, the in-process members take its partitions on
 * from its commits — every reading stored once.
 */
import { afterAll, expect, test } from "bun:test";
import { AssignerProtocol, Kafka, logLevel } from "kafkajs";
import mqtt from "mqtt";
import { startServeProcess } from "../support/serve-process.ts";
import { freePort } from "../support/net.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-mixed-");
afterAll(() => dirs.cleanup());

type Row = { msg_id: string | null };

async function publish(mqttPort: number, devices: string[], from: number, n: number) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    clientId: `mixed-${from}`,
    protocolVersion: 5,
  });
  const ids: string[] = [];
  for (let i = from; i < from + n; i++) {
    const device = devices[i % devices.length]!;
    const msgId = `${device}-${i}`;
    ids.push(msgId);
    await client.publishAsync(
      `iot/${device}/telemetry`,
      JSON.stringify({ ts: 1_800_000_000_000 + i, temperature: 20 }),
      { qos: 1, properties: { userProperties: { msg_id: msgId } } },
    );
  }
  await client.endAsync();
  return ids;
}

test("an in-process member and a kafkajs member of another process share iot-readings", async () => {
  const dataDir = dirs.make();
  const all = await startServeProcess({ dataDir, role: "all" });
  const extra = await startServeProcess({
    dataDir,
    role: "consumers",
    ports: { http: await freePort(), kafka: all.kafkaPort, mqtt: all.mqttPort },
  });
  const admin = new Kafka({
    brokers: [all.kafkaAddress],
    clientId: "mixed-test",
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const members = async () =>
    (await admin.describeGroups(["iot-readings"])).groups[0]!.members.map((m) => m.clientId);
  const devices = Array.from({ length: 8 }, (_, i) => `mixed-${i}`);
  const stored = async () => {
    const rows: Row[] = [];
    for (const d of devices) {
      const res = await fetch(
        `http://127.0.0.1:${all.httpPort}/api/readings?device_id=${d}&limit=10000`,
      );
      rows.push(...((await res.json()) as Row[]));
    }
    return rows.map((r) => String(r.msg_id));
  };
  let extraRunning = true;
  try {
    await waitFor(
      async () =>
        (await members()).length === 2 &&
        (await admin.describeGroups(["iot-readings"])).groups[0]!.state === "Stable",
      40_000,
      "two members in iot-readings",
    );
    expect((await members()).sort()).toEqual(["iot-in-process", "iot-serve"]);
    // one partition each, in kafkajs's assignment format whichever member led
    const group = (await admin.describeGroups(["iot-readings"])).groups[0]!;
    const assigned = group.members.map(
      (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment,
    );
    expect(assigned.map((a) => a["iot.telemetry"]?.length)).toEqual([1, 1]);
    const first = await publish(all.mqttPort, devices, 0, 400);
    await waitFor(async () => (await stored()).length >= 400, 40_000, "400 readings");
    // the extra process leaves: its partitions go back to the in-process member
    await extra.stop();
    extraRunning = false;
    const second = await publish(all.mqttPort, devices, 400, 400);
    await waitFor(async () => (await stored()).length >= 800, 40_000, "800 readings");
    await Bun.sleep(500);
    const ids = await stored();
    expect(ids.length).toBe(800);
    expect(new Set(ids)).toEqual(new Set([...first, ...second]));
    expect(await members()).toEqual(["iot-in-process"]);
  } finally {
    await admin.disconnect();
    if (extraRunning) await extra.stop();
    await all.stop();
  }
}, 120_000);
