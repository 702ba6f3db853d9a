/**
 * The arm64 binary as a Pi runs it: compiled from src/main.ts, run under qemu-aarch64-static
 * as `iot device --sensor sim --camera sim` against an x64 `iot serve`
 * from source — an image it took through its embedded sharp arrives in the API. (qemu-user here
 * cannot exec a second arm64 process, so the agent falls back to snapshots in its own process;
 * the snapshot child a Pi runs is checked on its own.)
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { compile } from "../../scripts/compile.ts";
import { startDeviceProcess, type DeviceProcess } from "../support/device-process.ts";
import { useServeProcess } from "../support/use-serve.ts";
import { waitFor } from "../support/wait.ts";

const root = join(import.meta.dir, "../..");
const s = useServeProcess("iot-device-arm64-");
let binary: string;
let device: DeviceProcess | undefined;

beforeAll(async () => {
  binary = join(s.dirs.make(), "iot-linux-arm64");
  await compile({ root, entry: join(root, "src/main.ts"), target: "linux-arm64", outfile: binary });
}, 300_000);
afterAll(async () => {
  await device?.stop();
});

test("iot device (arm64, qemu) takes a snapshot that arrives", async () => {
  const qemu = Bun.which("qemu-aarch64-static");
  expect(qemu).toBeTruthy(); // Debian's qemu-user-static
  const dataDir = s.dirs.make();
  device = startDeviceProcess(
    [
      ...["--id", "pi-arm64", "--server", `mqtt://127.0.0.1:${s.serve.mqttPort}`],
      ...["--data-dir", dataDir, "--sensor", "sim", "--camera", "sim"],
      ...["--read-interval", "1", "--snapshot-interval", "2"],
    ],
    [qemu!, binary],
    { QEMU_LD_PREFIX: "/usr/aarch64-linux-gnu" },
  );
  const images = async () =>
    (await (await fetch(`${s.http}/api/images?device_id=pi-arm64`)).json()) as Array<{
      id: number;
      width: number;
      height: number;
    }>;
  await waitFor(async () => (await images()).length >= 1, 120_000, "an arm64 image").catch((e) => {
    throw new Error(
      `${(e as Error).message}; the device said:\n${device!.lines.slice(-15).join("\n")}`,
    );
  });
  const [img] = await images();
  expect([img!.width, img!.height]).toEqual([500, 500]);
  const jpeg = Buffer.from(await (await fetch(`${s.http}/images/${img!.id}.jpg`)).arrayBuffer());
  expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  expect(await device.stop()).toBe(0);
  device = undefined;
}, 180_000);

test("the arm64 binary's snapshot child (what a Pi runs for each picture) writes a JPEG", async () => {
  const qemu = Bun.which("qemu-aarch64-static")!;
  const req = JSON.stringify({ kind: "sim", width: 320, height: 240, at: Date.now() });
  const proc = Bun.spawn([qemu, binary, "__snapshot", req], {
    cwd: s.dirs.make(),
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: "/usr/bin:/bin", QEMU_LD_PREFIX: "/usr/aarch64-linux-gnu" },
  });
  const [jpeg, stderr, code] = await Promise.all([
    new Response(proc.stdout).arrayBuffer(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  expect(Buffer.from(jpeg).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
}, 120_000);
