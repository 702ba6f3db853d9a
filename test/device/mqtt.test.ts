/**
 * `iot serve` + `iot device --sensor sim --camera sim` over MQTT, as separate processes on real
 * sockets: readings and images arrive; a server outage is buffered in the outbox and delivered
 * afterwards in order, none twice; Inactive stops the device, Active resumes it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { queued, startDeviceProcess, type DeviceProcess } from "../support/device-process.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-device-mqtt-");
const serveDir = dirs.make();
let serve: ServeProcess;
let device: DeviceProcess;
const id = "pi-e2e";
const http = () => `http://127.0.0.1:${serve.httpPort}`;

interface Row {
  id: number;
  ts_ms: number;
}
const rows = async (what: "readings" | "images"): Promise<Row[]> =>
  (await (await fetch(`${http()}/api/${what}?device_id=${id}&limit=1000`)).json()) as Row[];

beforeAll(async () => {
  serve = await startServeProcess({ dataDir: serveDir });
  device = startDeviceProcess([
    ...["--id", id, "--server", `mqtt://127.0.0.1:${serve.mqttPort}`, "--data-dir", dirs.make()],
    ...["--sensor", "sim", "--camera", "sim", "--read-interval", "0.3", "--snapshot-interval", "1"],
  ]);
});

afterAll(async () => {
  await device?.stop();
  await serve?.stop();
  dirs.cleanup();
});

test("readings and images arrive in the JSON API", async () => {
  await waitFor(async () => (await rows("readings")).length >= 3, 30_000, "3 readings");
  await waitFor(async () => (await rows("images")).length >= 1, 30_000, "an image");
  const img = (await rows("images"))[0]!;
  const jpeg = Buffer.from(await (await fetch(`${http()}/images/${img.id}.jpg`)).arrayBuffer());
  expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
});

test("server away: the device buffers, then everything arrives in order, none twice", async () => {
  const ports = { http: serve.httpPort, kafka: serve.kafkaPort, mqtt: serve.mqttPort };
  const from = device.lines.length;
  expect(await serve.stop()).toBe(0);
  await device.waitForLine(/disconnected; retrying/, 30_000, from);
  // several readings and a snapshot are taken while nobody listens
  await waitFor(() => queued(device.lines, "telemetry", from).length >= 8, 30_000, "8 queued");
  await waitFor(() => queued(device.lines, "image", from).length >= 1, 30_000, "an image queued");
  serve = await startServeProcess({ dataDir: serveDir, ports });
  const wanted = queued(device.lines, "telemetry");
  await waitFor(
    async () => {
      const have = new Set((await rows("readings")).map((r) => r.ts_ms));
      return wanted.every((ts) => have.has(ts));
    },
    60_000,
    "every queued reading stored",
  );
  const stored = (await rows("readings")).sort((a, b) => a.id - b.id);
  const ts = stored.map((r) => r.ts_ms);
  expect(new Set(ts).size).toBe(ts.length); // none twice
  expect(ts).toEqual([...ts].sort((a, b) => a - b)); // stored in the order they were taken
  const imageCount = queued(device.lines, "image").length;
  await waitFor(async () => (await rows("images")).length >= imageCount, 30_000, "the images");
});

test("Inactive stops the device, Active resumes it", async () => {
  const post = (status: string) =>
    fetch(`${http()}/status/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status }),
    });
  const res = await post("Inactive");
  expect(await res.json()).toEqual({ message: `Status of ${id} updated to Inactive` });
  await device.waitForLine(/command: Inactive/);
  const from = device.lines.length;
  await Bun.sleep(2000); // several read intervals (0.3 s)
  expect(queued(device.lines, "telemetry", from)).toEqual([]);
  await waitFor(
    async () =>
      (
        (await (await fetch(`${http()}/api/devices`)).json()) as Array<{
          id: string;
          status: string;
        }>
      ).some((d) => d.id === id && d.status === "Inactive"),
    30_000,
    "the device reported Inactive",
  );

  await post("Active");
  await device.waitForLine(/command: Active/, 30_000, from);
  await waitFor(
    () => queued(device.lines, "telemetry", from).length >= 2,
    30_000,
    "readings again",
  );
});

test("SIGTERM: offline published, exit 0", async () => {
  expect(await device.stop()).toBe(0);
  expect(device.lines.some((l) => /stopped .*waiting=0/.test(l))).toBe(true);
  // everything it ever queued is stored, once (a server outage and two commands included)
  const readingTs = queued(device.lines, "telemetry").sort((a, b) => a - b);
  await waitFor(async () => (await rows("readings")).length >= readingTs.length, 30_000, "all");
  expect((await rows("readings")).map((r) => r.ts_ms).sort((a, b) => a - b)).toEqual(readingTs);
  const imageCount = queued(device.lines, "image").length;
  await waitFor(async () => (await rows("images")).length >= imageCount, 30_000, "all images");
  expect((await rows("images")).length).toBe(imageCount);
  await waitFor(
    async () =>
      (
        (await (await fetch(`${http()}/api/devices`)).json()) as Array<{
          id: string;
          online: boolean;
        }>
      ).some((d) => d.id === id && d.online === false),
    30_000,
    "offline",
  );
});
