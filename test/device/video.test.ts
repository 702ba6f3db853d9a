/**
 * `iot device --video sim`: MJPEG frames go live at QoS 0 (never through the outbox) and
 * `GET /video_feed?device=<id>` on the server plays them.
 */
import { afterAll, expect, test } from "bun:test";
import { startDeviceProcess, type DeviceProcess } from "../support/device-process.ts";
import { useServeProcess } from "../support/use-serve.ts";

const s = useServeProcess("iot-device-video-");
let device: DeviceProcess | undefined;
afterAll(async () => {
  await device?.stop();
});

test("frames from the device play in /video_feed", async () => {
  device = startDeviceProcess([
    ...["--id", "pi-video", "--server", `mqtt://127.0.0.1:${s.serve.mqttPort}`],
    ...["--data-dir", s.dirs.make(), "--sensor", "off", "--camera", "off"],
    ...["--video", "sim", "--video-fps", "5", "--video-size", "160x120"],
  ]);
  await device.waitForLine(/connected/);
  const abort = new AbortController();
  const res = await fetch(`${s.http}/video_feed?device=pi-video`, { signal: abort.signal });
  expect(res.headers.get("content-type")).toContain("multipart/x-mixed-replace");
  const reader = res.body!.getReader();
  let seen = Buffer.alloc(0);
  const soi = Buffer.from([0xff, 0xd8, 0xff]);
  while (!(seen.includes("--frame") && seen.includes(soi))) {
    const { value, done } = await reader.read();
    if (done) break;
    seen = Buffer.concat([seen, Buffer.from(value)]);
  }
  abort.abort();
  expect(seen.includes(soi)).toBe(true);
  // live only: nothing of the video went into the outbox
  expect(device.lines.filter((l) => l.includes(" queued "))).toEqual([]);
}, 60_000);
