/**
 * `iot device` against a protected `iot serve` (--host 0.0.0.0): its token (IOT_TOKEN) lets it
 * in over MQTT and Kafka; a wrong token is refused with a log line that says what to check.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startDeviceProcess, type DeviceProcess } from "../support/device-process.ts";
import { createToken } from "../support/token.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-device-protected-");
const dataDir = dirs.make();
let serve: ServeProcess;
let token = "";
let kafkaToken = "";
const devices: DeviceProcess[] = [];

const start = (id: string, tok: string, transport: string[]) => {
  const d = startDeviceProcess(
    [
      ...["--id", id, ...transport, "--data-dir", dirs.make()],
      ...["--sensor", "sim", "--camera", "off", "--read-interval", "0.3"],
    ],
    undefined,
    { IOT_TOKEN: tok },
  );
  devices.push(d);
  return d;
};
const readings = async (id: string) =>
  (
    (await (
      await fetch(`http://127.0.0.1:${serve.httpPort}/api/readings?device_id=${id}`)
    ).json()) as unknown[]
  ).length;

beforeAll(async () => {
  token = await createToken(dataDir, "device", "pi-sec");
  kafkaToken = await createToken(dataDir, "kafka", "pi-sec");
  serve = await startServeProcess({ dataDir, args: ["--host", "0.0.0.0"] });
});
afterAll(async () => {
  for (const d of devices) await d.stop();
  await serve?.stop();
  dirs.cleanup();
});

test("MQTT: the device's token lets it publish", async () => {
  start("pi-sec", token, ["--server", `mqtt://127.0.0.1:${serve.mqttPort}`]);
  await waitFor(async () => (await readings("pi-sec")) >= 2, 60_000, "readings");
});

test("MQTT: a wrong token is refused, with a clear log line, and nothing arrives", async () => {
  const d = start("pi-sec", token + "x", ["--server", `mqtt://127.0.0.1:${serve.mqttPort}`]);
  const line = await d.waitForLine(/refused the login/);
  expect(line).toContain("'pi-sec'");
  expect(line).toContain("check --id and --token");
  // another id with a valid token for pi-sec is refused too
  const other = start("pi-other", token, ["--server", `mqtt://127.0.0.1:${serve.mqttPort}`]);
  await other.waitForLine(/refused the login as 'pi-other'/);
  expect(await readings("pi-other")).toBe(0);
});

test("Kafka: a device token is no Kafka login; a kafka token for its id is", async () => {
  const refused = start("pi-sec", token, ["--kafka", serve.kafkaAddress]);
  const line = await refused.waitForLine(/Kafka refused the login/);
  expect(line).toContain("--kind kafka");
  for (const d of devices.splice(0)) expect(await d.stop()).toBe(0);
  const before = await readings("pi-sec");
  const d = start("pi-sec", kafkaToken, ["--kafka", serve.kafkaAddress]);
  await waitFor(
    async () => (await readings("pi-sec")) >= before + 3,
    60_000,
    "readings over Kafka",
  );
});
