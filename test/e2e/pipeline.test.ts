/**
 * `iot serve` end to end, through real ports: mqtt.js and mosquitto_pub publish, kcat and
 * kafka-python produce the seeds' formats, the seeds' curl bodies hit the collector — and the
 * JSON API shows the result. One server process (all roles) for the whole file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { kcatRead } from "../support/kcat.ts";
import { python, run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { tinyJpeg } from "../support/jpeg.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-e2e-");
let serve: ServeProcess;
let http: string;

beforeAll(async () => {
  serve = await startServeProcess({ dataDir: dirs.make() });
  http = `http://127.0.0.1:${serve.httpPort}`;
});
afterAll(async () => {
  await serve.stop();
  dirs.cleanup();
});

const api = async (path: string) => (await fetch(`${http}${path}`)).json();
const post = (path: string, body: unknown) =>
  fetch(`${http}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const kcatTopic = (topic: string) => kcatRead(serve.kafkaAddress, topic, { format: "%k|%s|%h\\n" });

describe("MQTT → Kafka → SQLite", () => {
  test("mqtt.js over MQTT 3.1.1 and 5, and mosquitto_pub, publish readings the API shows", async () => {
    for (const [id, protocolVersion] of [
      ["m311", 4],
      ["m5", 5],
    ] as const) {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
        protocolVersion,
        clientId: id,
      });
      await client.publishAsync(
        `iot/${id}/telemetry`,
        JSON.stringify({ temperature: 20.5, humidity: 41 }),
        { qos: 1 },
      );
      await client.endAsync();
    }
    const pub = await run([
      "mosquitto_pub",
      "-p",
      String(serve.mqttPort),
      "-q",
      "1",
      "-t",
      "iot/mosq/telemetry",
      "-m",
      '{"ts":"2026-11-22T10:00:00Z","temperature":19}',
    ]);
    expect(pub.code).toBe(0);
    await waitFor(
      async () => (await api("/api/readings?limit=50")).length >= 3,
      15_000,
      "3 readings",
    );
    const rows = await api("/api/readings?limit=50");
    expect(rows.map((r: { device_id: string }) => r.device_id).sort()).toEqual([
      "m311",
      "m5",
      "mosq",
    ]);
    expect(rows.find((r: { device_id: string }) => r.device_id === "mosq")).toMatchObject({
      temperature: 19,
      ts_ms: Date.parse("2026-11-22T10:00:00Z"),
    });
    expect((await api("/api/readings?device_id=m5"))[0]).toMatchObject({
      temperature: 20.5,
      humidity: 41,
    });
    // the bridge kept the device id as the key and the MQTT topic as a header
    const records = await kcatTopic("iot.telemetry");
    expect(
      records.some((r) => r.startsWith("m5|") && r.includes("mqtt_topic=iot/m5/telemetry")),
    ).toBe(true);
  });

  test("coffee positions and bin levels from the seeds' MQTT publishers; FULL raises an alert", async () => {
    await run([
      "mosquitto_pub",
      "-p",
      String(serve.mqttPort),
      "-t",
      "coffee",
      "-m",
      '{"id":"3DF92-192","x":1,"y":2,"status":"Active"}',
    ]);
    await run([
      "mosquitto_pub",
      "-p",
      String(serve.mqttPort),
      "-t",
      "hello/world",
      "-m",
      "72 5 2026-11-22 10:00:00",
    ]);
    await run([
      "mosquitto_pub",
      "-p",
      String(serve.mqttPort),
      "-t",
      "hello/world",
      "-m",
      "FULL 5 2026-11-22 10:30:00",
    ]);
    await waitFor(
      async () =>
        (await api("/api/bins")).length >= 2 &&
        (await api("/api/devices")).some((d: { id: string }) => d.id === "3DF92-192"),
      15_000,
      "bins and coffee",
    );
    expect(
      (await api("/api/devices")).find((d: { id: string }) => d.id === "3DF92-192"),
    ).toMatchObject({ x: 1, y: 2, status: "Active", online: true });
    expect((await api("/api/bins"))[0]).toMatchObject({
      bin_count: 5,
      bin_level: null,
      full: true,
      m_time: "2026-11-22 10:30:00",
    });
    await waitFor(
      async () => (await api("/api/alerts")).some((a: { kind: string }) => a.kind === "bin-full"),
      5000,
      "bin alert",
    );
  });
});

describe("the seeds' Kafka producers", () => {
  test("kafka-python's gzip temp_test and imgtest", async () => {
    const photo = tinyJpeg(7).toString("base64");
    const r = await python(
      `
import json, sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1], compression_type='gzip', acks=0, value_serializer=lambda v: json.dumps(v).encode('utf-8'))
p.send('temp_test', {"m_id": "0", "datetime": "2026-11-22 10:00:00", "temp": "23.0"})
p.send('imgtest', {"m_id": "0", "datetime": "2026-11-22 10:00:00", "photo": sys.argv[2]})
p.flush(); p.close()
`,
      [serve.kafkaAddress, photo],
    );
    expect(r.code).toBe(0);
    await waitFor(
      async () =>
        (await api("/api/readings?device_id=0")).length === 1 &&
        (await api("/api/images?device_id=0")).length === 1,
      15_000,
      "seed reading and image",
    );
    expect((await api("/api/readings?device_id=0"))[0]).toMatchObject({
      temperature: 23,
      ts_ms: new Date(2026, 10, 22, 10, 0, 0).getTime(),
    });
    const [img] = await api("/api/images?device_id=0");
    expect(img).toMatchObject({ width: 32, height: 16 });
    const file = await fetch(`${http}/images/${img.id}.jpg`);
    expect(file.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await file.arrayBuffer()).equals(tinyJpeg(7))).toBe(true);
  });

  test("GET /video_feed streams rtsp-stream frames as multipart/x-mixed-replace", async () => {
    // kafka-python with no serializer: raw JPEG bytes per record, as the seed's RTSP producer
    const frame = async (i: number) => {
      const r = await python(
        "import sys\nfrom kafka import KafkaProducer\np = KafkaProducer(bootstrap_servers=sys.argv[1])\np.send('rtsp-stream', bytes.fromhex(sys.argv[2])).get(timeout=10)\np.close()",
        [serve.kafkaAddress, tinyJpeg(i).toString("hex")],
      );
      expect(r.code).toBe(0);
    };
    await frame(1);
    await Bun.sleep(500); // the video sink reads live: give it the first frame
    const ac = new AbortController();
    const res = await fetch(`${http}/video_feed`, { signal: ac.signal });
    expect(res.headers.get("content-type")).toBe("multipart/x-mixed-replace; boundary=frame");
    const reader = res.body!.getReader();
    let seen = Buffer.alloc(0);
    const frames = () => seen.toString("latin1").split("--frame\r\n").length - 1;
    const reading = (async () => {
      while (frames() < 2) {
        const { value, done } = await reader.read();
        if (done) break;
        seen = Buffer.concat([seen, value!]);
      }
    })();
    await frame(2);
    await Promise.race([reading, Bun.sleep(10_000)]);
    ac.abort();
    expect(frames()).toBeGreaterThanOrEqual(2);
    expect(seen.toString("latin1")).toContain("Content-Type: image/jpeg\r\nContent-Length: ");
    expect(seen.includes(tinyJpeg(2))).toBe(true);
  });
});

describe("the seeds' HTTP collector", () => {
  test("POST /entrance (and /) produce key = name, value {record_type, value}", async () => {
    for (const path of ["/entrance", "/"]) {
      const res = await post(path, { name: "jane", value: path === "/" ? "out" : "in" });
      expect(res.status).toBe(200);
    }
    const records = await kcatTopic("entrance");
    expect(records).toHaveLength(2);
    const [key, value] = records[0]!.split("|");
    expect(key).toBe("jane");
    expect(JSON.parse(value!)).toMatchObject({
      record_type: "in",
      value: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    await waitFor(
      async () => (await api("/api/people")).some((p: { state: string }) => p.state === "out"),
      10_000,
      "jane out",
    );
  });

  test("POST /office_status → topic room keyed by room_no; a rule and an excursion → one alert, then one clear", async () => {
    const rule = {
      room_no: 7,
      value: {
        schedule_id: 1,
        order: "insert",
        condition: { temperature: { agg_type: "max", up: 30, down: null } },
      },
    };
    expect((await post("/office_rule", rule)).status).toBe(200);
    await waitFor(
      async () => (await api("/api/rules")).some((r: { room_no: number }) => r.room_no === 7),
      10_000,
      "rule stored",
    );
    const status = (t: number) =>
      post("/office_status", { room_no: 7, status: { humidity: 40, temperature: t } });
    for (const t of [25, 31, 33, 32]) expect((await status(t)).status).toBe(200);
    const alertsFor = async () =>
      (await api("/api/alerts?limit=100")).filter(
        (a: { subject: string }) => a.subject === "room 7 rule 1",
      );
    await waitFor(async () => (await alertsFor()).length === 1, 10_000, "one room alert");
    expect((await alertsFor())[0]).toMatchObject({ kind: "room-rule", state: "open" });
    const records = await kcatTopic("room");
    expect(records[0]!.split("|")[0]).toBe("7");
    // back to normal; max over the window falls only when the hot readings age out, so use a
    // rule on the mean for the clear
    const mean = {
      ...rule,
      value: {
        ...rule.value,
        order: "update",
        condition: { temperature: { agg_type: "mean", up: 35, down: null } },
      },
    };
    expect((await post("/office_rule", mean)).status).toBe(200);
    await waitFor(
      async () => (await alertsFor())[0]?.state === "cleared",
      10_000,
      "room alert cleared",
    );
    expect(await alertsFor()).toHaveLength(1);
    expect(
      (await api("/api/rooms")).find((r: { room_no: number }) => r.room_no === 7),
    ).toMatchObject({ temperature: 32, humidity: 40 });
  });

  test("POST /status/:id answers like the seed and sends a retained command", async () => {
    const ok = await post("/status/3DF92-192", { status: "Inactive" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ message: "Status of 3DF92-192 updated to Inactive" });
    for (const bad of [{ status: "Sleeping" }, {}, "not json"]) {
      const res = await post("/status/3DF92-192", bad);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: "Invalid status" });
    }
    // a subscriber arriving later still gets it: retained
    const sub = await run([
      "mosquitto_sub",
      "-p",
      String(serve.mqttPort),
      "-t",
      "iot/3DF92-192/command",
      "-C",
      "1",
      "-W",
      "5",
    ]);
    expect(sub.stdout.trim()).toBe("Inactive");
    expect(
      (await api("/api/devices")).find((d: { id: string }) => d.id === "3DF92-192")?.desired_status,
    ).toBe("Inactive");
  });

  test("bad bodies get 400 naming the field", async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ["/entrance", "{oops", /^body: invalid JSON$/],
      ["/entrance", { name: "x", value: "sideways" }, /^value: /],
      ["/entrance", { value: "in" }, /^name: /],
      ["/office_status", { room_no: "one", status: {} }, /^room_no: /],
      ["/office_status", { room_no: 1, status: { temperature: "hot" } }, /^status.temperature: /],
      [
        "/office_rule",
        { room_no: 1, value: { schedule_id: 1, order: "upsert" } },
        /^value.order: /,
      ],
    ];
    for (const [path, body, message] of cases) {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect((await res.json()).message).toMatch(message);
    }
    expect((await fetch(`${http}/api/readings?limit=abc`)).status).toBe(400);
  });
});

describe("bad payloads go to the dead-letter topic with the reason", () => {
  test("bad MQTT JSON and a bad seed record, while good ones around them are stored", async () => {
    await run(["mosquitto_pub", "-p", String(serve.mqttPort), "-t", "coffee", "-m", "{not json"]);
    await run(["kcat", "-b", serve.kafkaAddress, "-P", "-t", "temp_test"], {
      stdin:
        '{"m_id":"9","datetime":"yesterday","temp":"x"}\n{"m_id":"9","datetime":"2026-11-22 11:00:00","temp":"18.5"}\n',
    });
    await waitFor(
      async () => (await kcatTopic("iot.dead-letter")).length >= 2,
      15_000,
      "two dead letters",
    );
    const letters = await kcatTopic("iot.dead-letter");
    expect(
      letters.some((l) => l.includes("reason=invalid JSON") && l.includes("source=mqtt:coffee")),
    ).toBe(true);
    expect(
      letters.some(
        (l) =>
          l.includes("reason=datetime: expected a time") && l.includes("source=kafka:temp_test/"),
      ),
    ).toBe(true);
    await waitFor(
      async () => (await api("/api/readings?device_id=9")).length === 1,
      10_000,
      "the good one",
    );
    const metrics = await (await fetch(`${http}/metrics`)).text();
    expect(metrics).toMatch(/iot_bridge_messages_total\{outcome="dead-letter"\} [1-9]/);
    expect(metrics).toMatch(
      /iot_sink_records_total\{outcome="dead-letter",sink="readings"\} [1-9]/,
    );
  });
});
