/**
 * `iot device --server mqtts://… --ca ca.pem` against `iot serve --tls-cert … --tls-key …`:
 * readings arrive over MQTT over TLS; a CA that did not sign the server is refused, clearly.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startDeviceProcess, type DeviceProcess } from "../support/device-process.ts";
import { freePort } from "../support/net.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { makeTestCerts, type TestCerts } from "../support/tls.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-device-tls-");
let serve: ServeProcess;
let certs: TestCerts;
let mqttsPort: number;
const devices: DeviceProcess[] = [];
const start = (id: string, ca: string) => {
  const d = startDeviceProcess([
    ...["--id", id, "--server", `mqtts://127.0.0.1:${mqttsPort}`, "--ca", ca],
    ...["--data-dir", dirs.make(), "--sensor", "sim", "--camera", "off", "--read-interval", "0.3"],
  ]);
  devices.push(d);
  return d;
};

beforeAll(async () => {
  certs = await makeTestCerts(dirs.make());
  mqttsPort = await freePort();
  serve = await startServeProcess({
    dataDir: dirs.make(),
    args: [
      "--tls-cert",
      certs.certPath,
      "--tls-key",
      certs.keyPath,
      "--mqtts-port",
      String(mqttsPort),
    ],
    ca: certs.ca,
  });
});
afterAll(async () => {
  for (const d of devices) await d.stop();
  await serve?.stop();
  dirs.cleanup();
});

test("readings arrive over mqtts with the CA given by --ca", async () => {
  start("pi-tls", certs.caPath);
  const readings = async () =>
    (
      (await (
        await fetch(`https://127.0.0.1:${serve.httpPort}/api/readings?device_id=pi-tls`, {
          tls: { ca: certs.ca },
        } as RequestInit)
      ).json()) as unknown[]
    ).length;
  await waitFor(async () => (await readings()) >= 2, 60_000, "readings over TLS");
});

test("a CA that did not sign the server's certificate: refused, with the reason", async () => {
  const stranger = await makeTestCerts(dirs.make());
  const d = start("pi-stranger", stranger.caPath);
  const line = await d.waitForLine(/connection to mqtts:.* failed/);
  expect(line).toMatch(/certificate|self.signed|verify/i);
});
