/**
 * `iot device --kafka` against the embedded Kafka port of `iot serve`: readings and images
 * arrive (the `iot` format and the seeds' `temp_test`/`imgtest`), and POST /status/<id> reaches
 * the device through `iot.command`.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { queued, startDeviceProcess, type DeviceProcess } from "../support/device-process.ts";
import { useServeProcess } from "../support/use-serve.ts";
import { waitFor } from "../support/wait.ts";

const s = useServeProcess("iot-device-kafka-");
const devices: DeviceProcess[] = [];
const start = (id: string, ...more: string[]) => {
  const d = startDeviceProcess([
    ...["--id", id, "--kafka", s.serve.kafkaAddress, "--data-dir", s.dirs.make()],
    ...["--sensor", "sim", "--camera", "sim", "--read-interval", "0.3", "--snapshot-interval", "1"],
    ...more,
  ]);
  devices.push(d);
  return d;
};
const count = async (what: string, id: string) =>
  ((await (await fetch(`${s.http}/api/${what}?device_id=${id}&limit=1000`)).json()) as unknown[])
    .length;
const post = (id: string, status: string) =>
  fetch(`${s.http}/status/${id}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status }),
  });

let iot: DeviceProcess;
beforeAll(() => {
  iot = start("pi-kafka");
  start("pi-seed", "--kafka-format", "seed");
});
afterAll(async () => {
  for (const d of devices) await d.stop();
});

test("iot format: readings and images arrive", async () => {
  await waitFor(async () => (await count("readings", "pi-kafka")) >= 3, 60_000, "readings");
  await waitFor(async () => (await count("images", "pi-kafka")) >= 1, 60_000, "an image");
});

test("seed format: temp_test and imgtest records land under the device id", async () => {
  await waitFor(async () => (await count("readings", "pi-seed")) >= 3, 60_000, "readings");
  await waitFor(async () => (await count("images", "pi-seed")) >= 1, 60_000, "an image");
});

test("commands arrive through iot.command: Inactive stops, Active resumes", async () => {
  expect((await post("pi-kafka", "Inactive")).status).toBe(200);
  await iot.waitForLine(/command: Inactive/, 60_000);
  const from = iot.lines.length;
  await Bun.sleep(2000); // several read intervals
  expect(queued(iot.lines, "telemetry", from)).toEqual([]);
  expect((await post("pi-kafka", "Active")).status).toBe(200);
  await iot.waitForLine(/command: Active/, 60_000, from);
  await waitFor(() => queued(iot.lines, "telemetry", from).length >= 2, 30_000, "readings again");
});

test("a clean stop delivers everything queued", async () => {
  expect(await iot.stop()).toBe(0);
  expect(iot.lines.some((l) => /stopped .*waiting=0/.test(l))).toBe(true);
  const n = queued(iot.lines, "telemetry").length;
  await waitFor(async () => (await count("readings", "pi-kafka")) >= n, 30_000, "all readings");
  expect(await count("readings", "pi-kafka")).toBe(n);
});
