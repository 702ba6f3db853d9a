import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/core/log/index.ts";
import { fakeTools } from "../../test/support/fake-tool.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { waitFor } from "../../test/support/wait.ts";
import { loadSharp, type Sharp } from "../../src/core/image/sharp/index.ts";
import type { VideoSource } from "../types.ts";
import { createVideo } from "./index.ts";

const dirs = tempDirs("iot-video-");
let sharp: Sharp;
let bin: string;
let tools: ReturnType<typeof fakeTools>;
let env: Record<string, string | undefined>;
let frames: Buffer[];

beforeAll(async () => {
  sharp = await loadSharp();
  bin = dirs.make();
  tools = fakeTools(bin);
  env = tools.env;
  frames = await Promise.all(
    ["#f00", "#0f0", "#00f"].map((background) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background } })
        .jpeg()
        .toBuffer(),
    ),
  );
  writeFileSync(join(bin, "stream.mjpeg"), Buffer.concat([Buffer.from("chatter\n"), ...frames]));
});
afterAll(() => dirs.cleanup());

/** Starts a source and records what it reports. */
function record(video: VideoSource) {
  const got = { frames: [] as Buffer[], errors: [] as Error[] };
  video.start(
    (f) => got.frames.push(f),
    (e) => got.errors.push(e),
  );
  return got;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("sim video", () => {
  test("stamped JPEG frames of the configured size that change over time; none after stop()", async () => {
    const video = await createVideo({
      kind: "sim",
      fps: 20,
      width: 160,
      height: 120,
      log: silentLogger,
    });
    const got = record(video);
    await waitFor(() => got.frames.length >= 4, 30_000, "4 sim frames");
    await video.stop();
    const count = got.frames.length;
    for (const f of got.frames) {
      const meta = await sharp(f).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 160, 120]);
    }
    expect(new Set(got.frames.map((f) => f.toString("base64"))).size).toBeGreaterThan(1);
    await Bun.sleep(300);
    expect(got.frames.length).toBe(count);
    expect(got.errors).toEqual([]);
  });
});

describe("tool video (fake tools first on PATH)", () => {
  test("rpicam-vid: MJPEG on stdout becomes frames; stop() kills the tool", async () => {
    const tool = tools.install(
      "rpicam-vid",
      `cat "${bin}/stream.mjpeg"; echo $$ > "${bin}/pid"; exec sleep 60`,
    );
    const video = await createVideo({
      kind: "rpicam",
      fps: 15,
      width: 64,
      height: 48,
      log: silentLogger,
      env,
    });
    const got = record(video);
    await waitFor(() => got.frames.length === 3, 30_000, "3 frames");
    expect(got.frames).toEqual(frames);
    expect(tool.args()).toBe("-n --codec mjpeg -t 0 --width 64 --height 48 --framerate 15 -o -");
    await waitFor(() => Bun.file(join(bin, "pid")).size > 0, 10_000, "pid file");
    const pid = Number(readFileSync(join(bin, "pid"), "utf8"));
    expect(alive(pid)).toBe(true);
    await video.stop();
    await waitFor(() => !alive(pid), 10_000, "the tool to die");
    expect(got.errors).toEqual([]); // stopping is not an error
  });

  test("a tool that dies: onError with its exit code and stderr", async () => {
    tools.install(
      "rpicam-vid",
      `cat "${bin}/stream.mjpeg"; echo "ERROR: camera frontend has timed out" >&2; exit 3`,
    );
    const video = await createVideo({
      kind: "rpicam",
      fps: 5,
      width: 64,
      height: 48,
      log: silentLogger,
      env,
    });
    const got = record(video);
    await waitFor(() => got.errors.length === 1, 30_000, "the error");
    expect(got.frames).toHaveLength(3);
    expect(got.errors[0].message).toContain("exited with code 3");
    expect(got.errors[0].message).toContain("camera frontend has timed out");
    // the source can be started again after its tool died
    const again = record(video);
    await waitFor(() => again.errors.length === 1, 30_000, "the second run to end");
    expect(again.frames).toEqual(frames);
    await video.stop();
  });

  test("ffmpeg from RTSP over TCP, scaled and paced by its filters", async () => {
    const tool = tools.install("ffmpeg", `cat "${bin}/stream.mjpeg"`);
    const video = await createVideo({
      kind: "ffmpeg",
      source: "rtsp://192.168.0.20:8554/stream",
      fps: 10,
      width: 640,
      height: 480,
      log: silentLogger,
      env,
    });
    const got = record(video);
    await waitFor(() => got.errors.length === 1, 30_000, "end of stream");
    expect(got.frames).toEqual(frames);
    expect(tool.args()).toContain("-rtsp_transport tcp -i rtsp://192.168.0.20:8554/stream");
    expect(tool.args()).toContain("-vf fps=10,scale=640:480 -f mjpeg");
    await video.stop();
  });

  test("a missing tool or a silly rate: clear errors at creation", async () => {
    const empty = dirs.make();
    const opts = { fps: 5, width: 64, height: 48, log: silentLogger, env: { PATH: empty } };
    expect((await createVideo({ kind: "rpicam", ...opts }).catch((e) => e)).message).toContain(
      "sudo apt install rpicam-apps",
    );
    expect((await createVideo({ kind: "ffmpeg", ...opts }).catch((e) => e)).message).toContain(
      "sudo apt install ffmpeg",
    );
    expect((await createVideo({ kind: "sim", ...opts, fps: 0 }).catch((e) => e)).message).toContain(
      "fps",
    );
  });
});
