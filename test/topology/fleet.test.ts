/**
 * `iot` as a fleet on loopback: one `--role brokers` process standing in for the Kafka cluster
 * (and the MQTT broker with its bridge), two `--role consumers`, two `--role collector`, all
 * sharing one store (a parameter: ./stores.ts): one SQLite file in a shared data dir, or one
 * PostgreSQL database (`--database-url`) with a data dir of its own for each process. Driven by
 * the seeds' clients: curl and fetch, kafka-python, kcat, paho (Debian python3-paho-mqtt) and mqtt.js (QoS 1, MQTT 5 msg_id),
 * Chromium on a dashboard page.
 *
 * - A reading posted through collector A shows on collector B's open page within a second (the
 *   change went consumers → Kafka topic iot-changes → B's bus → B's SSE stream).
 * - A consumers process killed with -9 under QoS 1 load: the other takes its partitions over and
 *   every acknowledged reading is stored once, in each device's order.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import type { Browser } from "playwright-core";
import { launchChromium, collectPageErrors } from "../support/browser.ts";
import { freePort } from "../support/net.ts";
import { python, run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";
import { fleetStores, type FleetStore, type MakeFleetStore } from "./stores.ts";

const dirs = tempDirs("iot-fleet-");
afterAll(() => dirs.cleanup());

interface Fleet {
  brokers: ServeProcess;
  consumers: ServeProcess[];
  collectors: ServeProcess[];
  store: FleetStore;
  /** every process's data dir (one, when the store is a file in it) */
  dataDirs: string[];
}

async function startFleet(
  makeStore: MakeFleetStore,
  started: ServeProcess[],
  onStore: (s: FleetStore) => void,
) {
  const shared = dirs.make();
  const store = await makeStore(shared);
  onStore(store);
  const dataDirs = [shared];
  const dataDirFor = () => {
    if (makeStore.sharedDataDir) return shared;
    const own = dirs.make();
    dataDirs.push(own);
    return own;
  };
  const brokers = await startServeProcess({ dataDir: shared, role: "brokers", args: store.args });
  started.push(brokers);
  const join = async (role: string) => {
    const p = await startServeProcess({
      dataDir: dataDirFor(),
      role,
      args: store.args,
      ports: { http: await freePort(), kafka: brokers.kafkaPort, mqtt: brokers.mqttPort },
    });
    started.push(p);
    return p;
  };
  const consumers = [await join("consumers"), await join("consumers")];
  const collectors = [await join("collector"), await join("collector")];
  return { brokers, consumers, collectors, store, dataDirs } satisfies Fleet;
}

const post = (p: ServeProcess, path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${p.httpPort}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** What the readings sink of one process has stored so far (its /metrics). */
async function readingsHandled(p: ServeProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${p.httpPort}/metrics`)).text();
  const line = text
    .split("\n")
    .find(
      (l) =>
        l.startsWith("iot_sink_records_total{") &&
        l.includes('sink="readings"') &&
        l.includes('outcome="ok"'),
    );
  return line ? Number(line.split(" ").pop()) : 0;
}

// as the seed's Pi script sends a room's status straight to Kafka
const kafkaPythonRoom = `
import json, sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1], acks=1)
p.send('room', key=sys.argv[2].encode(), value=json.dumps({"room_no": int(sys.argv[2]), "status": {"temperature": float(sys.argv[3])}}).encode()).get(timeout=10)
p.close()
print("sent")
`;

/** as the seed's shell scripts do: a room's status piped into `kcat -P`, keyed by the room */
async function kcatRoom(address: string, room: number, temperature: number) {
  const value = JSON.stringify({ room_no: room, status: { temperature } });
  const r = await run(["kcat", "-b", address, "-P", "-t", "room", "-K", "\t"], {
    stdin: `${room}\t${value}\n`,
  });
  if (r.code !== 0) throw new Error(`kcat -P exited ${r.code}: ${r.stderr}`);
}

// as the seed's Pi sends its readings: paho, MQTT 5, QoS 1, each with its msg_id; waits for each
// PUBACK (paho 1.x and 2.x)
const pahoReadings = `
import json, sys
import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.packettypes import PacketTypes
host, port, device, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
kw = {"protocol": mqtt.MQTTv5}
c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, **kw) if hasattr(mqtt, "CallbackAPIVersion") else mqtt.Client(**kw)
c.connect(host, port)
c.loop_start()
for i in range(n):
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = ("msg_id", f"{device}-{i}")
    body = json.dumps({"ts": 1800000000000 + i, "temperature": 21.5, "humidity": 40})
    info = c.publish(f"iot/{device}/telemetry", body, qos=1, properties=props)
    info.wait_for_publish(10)
    if not info.is_published():
        sys.exit(f"no PUBACK for {device}-{i}")
c.loop_stop()
c.disconnect()
print("acked", n)
`;

for (const makeStore of fleetStores) {
  describe(`a fleet of iot processes on one ${makeStore.storeName} store`, () => {
    const started: ServeProcess[] = [];
    let fleet: Fleet;
    let store: FleetStore | undefined;
    let browser: Browser | undefined;

    beforeAll(async () => {
      fleet = await startFleet(makeStore, started, (s) => (store = s));
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      // every process by its PID (the killed one included: a no-op), the brokers last
      const [brokers, ...others] = started;
      await Promise.all(others.map((p) => p.stop()));
      await brokers?.stop();
      await store?.close();
    }, 60_000);

    test("a reading posted through collector A shows on collector B's open page within 1 s", async () => {
      const [a, b] = fleet.collectors as [ServeProcess, ServeProcess];
      browser = await launchChromium();
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`http://127.0.0.1:${b.httpPort}/rooms`);
      const shows = (text: string) =>
        page.waitForFunction(
          (t) =>
            Array.from(document.querySelectorAll("#live .room-value")).some((e) =>
              e.textContent?.includes(t),
            ),
          text,
          { timeout: 30_000, polling: 20 },
        );
      // the fleet settles first (groups joined, B's tail reading iot-changes): not timed
      const room = 40 + Math.floor(Math.random() * 50);
      expect(
        (await post(a, "/office_status", { room_no: room, status: { temperature: 10.5 } })).status,
      ).toBe(200);
      await shows("10.5");

      const delays: number[] = [];
      for (const t of [11.5, 12.5, 13.5, 14.5, 15.5]) {
        const res = await post(a, "/office_status", { room_no: room, status: { temperature: t } });
        expect(res.status).toBe(200);
        const acked = performance.now(); // in Kafka: from here on it is the fleet's doing
        await shows(t.toFixed(1));
        delays.push(Math.round(performance.now() - acked));
      }
      console.log(`collector A → collector B's page: ${delays.join(", ")} ms`);
      expect(Math.max(...delays)).toBeLessThan(1000);

      // the seed's Kafka producer, not a collector: B's page shows it too
      const out = await python(kafkaPythonRoom, [fleet.brokers.kafkaAddress, String(room), "16.5"]);
      expect(out.stdout).toContain("sent");
      await shows("16.5");
      // and as the seed's shell scripts send it, with kcat
      await kcatRoom(fleet.brokers.kafkaAddress, room, 17.5);
      await shows("17.5");
      expect(errors).toEqual([]);
    }, 90_000);

    // rooms 1 and 2: with two partitions, one each (kafkajs's murmur2 of "1" and "2")
    const hotRooms = [1, 2];
    const roomAlerts = async (p: ServeProcess) =>
      (
        (await (
          await fetch(`http://127.0.0.1:${p.httpPort}/api/alerts?limit=100`)
        ).json()) as Array<{
          kind: string;
          subject: string;
          state: string;
        }>
      )
        .filter((a) => a.kind === "room-rule")
        .map((a) => `${a.subject}: ${a.state}`)
        .sort();

    test("rules posted through collector B govern readings posted through A, whichever consumers process holds the room", async () => {
      const [a, b] = fleet.collectors as [ServeProcess, ServeProcess];
      for (const room_no of hotRooms) {
        const rule = {
          room_no,
          value: {
            schedule_id: 1,
            order: "insert",
            condition: { temperature: { agg_type: "mean", up: 25, down: null } },
          },
        };
        expect((await post(b, "/office_rule", rule)).status).toBe(200);
      }
      await waitFor(
        async () =>
          ((await (await fetch(`http://127.0.0.1:${a.httpPort}/api/rules`)).json()) as unknown[])
            .length === hotRooms.length,
        30_000,
        "both rules stored",
      );
      for (const room_no of hotRooms)
        for (const temperature of [30, 30])
          expect(
            (await post(a, "/office_status", { room_no, status: { temperature } })).status,
          ).toBe(200);
      const open = hotRooms.map((r) => `room ${r} rule 1: open`);
      await waitFor(
        async () => String(await roomAlerts(a)) === String(open),
        30_000,
        "both rooms alert",
      );
      expect(await roomAlerts(b)).toEqual(open); // one alert each, whoever raised it
    }, 60_000);

    test("a consumers process killed -9 under QoS 1 load: the other takes over, each reading stored once, in order", async () => {
      const [victim, survivor] = fleet.consumers as [ServeProcess, ServeProcess];
      const devices = Array.from({ length: 6 }, (_, i) => `fleet-${i}`);
      const perDevice = 400;
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${fleet.brokers.mqttPort}`, {
        protocolVersion: 5,
        reconnectPeriod: 200,
      });
      const ids = new Map(
        devices.map((d) => [d, Array.from({ length: perDevice }, (_, i) => `${d}-${i}`)]),
      );
      // each device in order (one publish in flight per device), the devices side by side
      const burst = Promise.all(
        devices.map(async (d) => {
          for (let i = 0; i < perDevice; i++)
            await client.publishAsync(
              `iot/${d}/telemetry`,
              JSON.stringify({ ts: 1_800_000_000_000 + i, temperature: 20 + (i % 10) }),
              { qos: 1, properties: { userProperties: { msg_id: `${d}-${i}` } } },
            );
        }),
      );
      try {
        // both consumers are storing: each holds partitions of the readings group
        await waitFor(
          async () =>
            (await readingsHandled(victim)) > 50 && (await readingsHandled(survivor)) > 50,
          60_000,
          "both consumers processes storing readings",
        );
        victim.proc.kill("SIGKILL");
        await victim.proc.exited;
        await burst; // every PUBACK: all of them are in Kafka
      } finally {
        await client.endAsync();
      }
      const total = devices.length * perDevice;
      const stored = async () => {
        let n = 0;
        for (const d of devices) n += (await fleet.store.readingsInStoredOrder(d)).length;
        return n;
      };
      // the dead member's session expires, the survivor is given its partitions and goes on
      await waitFor(async () => (await stored()) >= total, 90_000, `${total} readings stored`);
      await Bun.sleep(1000); // nothing more may arrive
      for (const d of devices) {
        const rows = await fleet.store.readingsInStoredOrder(d);
        expect({ device: d, ids: rows.map((r) => r.msgId) }).toEqual({
          device: d,
          ids: ids.get(d)!,
        });
        // stored in the device's order: each one's ts after the one before
        expect(rows.every((r, i) => i === 0 || r.ts > rows[i - 1]!.ts)).toBe(true);
      }
      expect(survivor.proc.exitCode).toBeNull();
      // each collector's JSON API answers from that same store: the device's newest reading
      for (const c of fleet.collectors) {
        const newest = (await (
          await fetch(`http://127.0.0.1:${c.httpPort}/api/readings?device_id=fleet-0&limit=1`)
        ).json()) as Array<{ msg_id: string }>;
        expect(newest.map((r) => r.msg_id)).toEqual([`fleet-0-${perDevice - 1}`]);
      }
    }, 180_000);

    test("the seed's paho (QoS 1) and curl: stored once, in order, seen through both collectors", async () => {
      const [a, b] = fleet.collectors as [ServeProcess, ServeProcess];
      const device = "paho-pi";
      const out = await python(pahoReadings, [
        "127.0.0.1",
        String(fleet.brokers.mqttPort),
        device,
        "20",
      ]);
      expect(out.stdout).toContain("acked 20");
      const ids = Array.from({ length: 20 }, (_, i) => `${device}-${i}`);
      await waitFor(
        async () => (await fleet.store.readingsInStoredOrder(device)).length >= 20,
        60_000,
        "paho's readings stored",
      );
      expect((await fleet.store.readingsInStoredOrder(device)).map((r) => r.msgId)).toEqual(ids);
      // a room's status through collector A with curl, as the seed's README does it
      const room = 100 + Math.floor(Math.random() * 50);
      const curl = await run([
        "curl",
        "-sS",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-d",
        JSON.stringify({ room_no: room, status: { temperature: 19.25 } }),
        `http://127.0.0.1:${a.httpPort}/office_status`,
      ]);
      expect(curl.code).toBe(0);
      await waitFor(
        async () => {
          const rooms = (await (
            await fetch(`http://127.0.0.1:${b.httpPort}/api/rooms`)
          ).json()) as Array<{ room_no: number; temperature: number | null }>;
          return rooms.some((r) => r.room_no === room && r.temperature === 19.25);
        },
        30_000,
        "collector B's API to show the room curl posted through A",
      );
    }, 120_000);

    // after the kill above: the survivor holds every room now, one of them raised by the other
    test("the survivor clears the room alert the killed process raised, and raises none twice", async () => {
      const [a] = fleet.collectors as [ServeProcess];
      // mean of (30, 30, 10, 10, 10) = 18: back within 25 - 0.5
      for (const room_no of hotRooms)
        for (const temperature of [10, 10, 10])
          expect(
            (await post(a, "/office_status", { room_no, status: { temperature } })).status,
          ).toBe(200);
      const cleared = hotRooms.map((r) => `room ${r} rule 1: cleared`);
      await waitFor(
        async () => String(await roomAlerts(a)) === String(cleared),
        60_000,
        "both cleared",
      );
    }, 90_000);

    // the point of --database-url: processes on separate machines, nothing of theirs in a file
    if (!makeStore.sharedDataDir)
      test("no process keeps any of the product's data in a SQLite file of its own", () => {
        const kept: string[] = [];
        for (const dir of fleet.dataDirs) {
          const file = join(dir, "iot.db");
          if (!existsSync(file)) continue;
          const db = new Database(file, { readonly: true });
          try {
            const tables = db
              .query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'iot_migrations'",
              )
              .all() as Array<{ name: string }>;
            for (const { name } of tables) {
              const { n } = db.query(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number };
              if (n > 0) kept.push(`${dir}/iot.db ${name}: ${n} rows`);
            }
          } finally {
            db.close();
          }
        }
        expect(kept).toEqual([]);
      });
  });
}
