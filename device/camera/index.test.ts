import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../src/core/log/index.ts";
import { fakeTools } from "../../test/support/fake-tool.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { testPattern } from "../../src/core/image/draw/index.ts";
import { loadSharp, type Sharp } from "../../src/core/image/sharp/index.ts";
import { createCamera } from "./index.ts";

const dirs = tempDirs("iot-camera-");
let sharp: Sharp;
let bin: string; // fake tools live here, first on PATH
let tools: ReturnType<typeof fakeTools>;
let env: Record<string, string | undefined>;
const at = new Date(2026, 10, 22, 10, 0, 0);

beforeAll(async () => {
  sharp = await loadSharp();
  bin = dirs.make();
  tools = fakeTools(bin);
  env = tools.env;
  const photo = await sharp({
    create: { width: 640, height: 480, channels: 3, background: "#3a7" },
  })
    .jpeg()
    .toBuffer();
  writeFileSync(join(bin, "photo.jpg"), photo);
});
afterAll(() => dirs.cleanup());

/** Mean absolute difference of two same-size RGB images over a rectangle. */
async function diff(
  a: Buffer,
  b: Buffer,
  r: { left: number; top: number; width: number; height: number },
) {
  const [ra, rb] = await Promise.all(
    [a, b].map((img) => sharp(img).extract(r).removeAlpha().raw().toBuffer()),
  );
  let sum = 0;
  for (let i = 0; i < ra.length; i++) sum += Math.abs(ra[i] - rb[i]);
  return sum / ra.length;
}

describe("sim camera", () => {
  test("a JPEG of the configured size, stamped in the top-left corner", async () => {
    const camera = await createCamera({ kind: "sim", width: 500, height: 400, log: silentLogger });
    const jpeg = await camera.snapshot(at);
    const meta = await sharp(jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 500, 400]);

    const p = testPattern(at, 500, 400);
    const unstamped = await sharp(p.data, { raw: { width: 500, height: 400, channels: 3 } })
      .jpeg()
      .toBuffer();
    const stampBox = { left: 4, top: 4, width: 200, height: 14 };
    const elsewhere = { left: 100, top: 300, width: 300, height: 80 };
    expect(await diff(jpeg, unstamped, stampBox)).toBeGreaterThan(40);
    expect(await diff(jpeg, unstamped, elsewhere)).toBeLessThan(8);
  });

  test("snapshots at different times differ visibly, at the same time they are equal", async () => {
    const camera = await createCamera({ kind: "sim", width: 320, height: 240, log: silentLogger });
    const a = await camera.snapshot(at);
    const b = await camera.snapshot(new Date(at.getTime() + 20_000));
    const whole = { left: 0, top: 20, width: 320, height: 220 };
    expect(await diff(a, b, whole)).toBeGreaterThan(20);
    expect(await diff(a, await camera.snapshot(at), whole)).toBe(0);
  });
});

describe("tool cameras (fake tools first on PATH)", () => {
  test("rpicam-still: its JPEG is resized and stamped; the command line asks for a JPEG on stdout", async () => {
    const tool = tools.install("rpicam-still", `cat "${bin}/photo.jpg"`);
    const camera = await createCamera({
      kind: "rpicam",
      width: 500,
      height: 500,
      log: silentLogger,
      env,
    });
    const meta = await sharp(await camera.snapshot(at)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 500, 500]);
    expect(tool.args()).toBe("-n -t 1 -e jpg --width 500 --height 500 -o -");
  });

  test("libcamera-still is the same tool under its old name", async () => {
    const tool = tools.install("libcamera-still", `cat "${bin}/photo.jpg"`);
    const camera = await createCamera({
      kind: "libcamera",
      width: 64,
      height: 48,
      log: silentLogger,
      env,
    });
    expect((await sharp(await camera.snapshot(at)).metadata()).width).toBe(64);
    expect(tool.args()).toContain("-e jpg");
  });

  test("ffmpeg: one MJPEG frame; TCP for rtsp://, v4l2 for /dev/video*", async () => {
    const tool = tools.install("ffmpeg", `cat "${bin}/photo.jpg"`);
    const rtsp = await createCamera({
      kind: "ffmpeg",
      source: "rtsp://cam.local:8554/live",
      width: 100,
      height: 100,
      log: silentLogger,
      env,
    });
    expect((await sharp(await rtsp.snapshot(at)).metadata()).height).toBe(100);
    expect(tool.args()).toContain("-rtsp_transport tcp -i rtsp://cam.local:8554/live");
    expect(tool.args()).toContain("-frames:v 1 -f mjpeg");
    const v4l2 = await createCamera({
      kind: "ffmpeg",
      source: "/dev/video2",
      width: 100,
      height: 100,
      log: silentLogger,
      env,
    });
    await v4l2.snapshot(at);
    expect(tool.args()).toContain("-f v4l2 -i /dev/video2");
  });

  test("overlapping snapshots take turns: the camera is never opened twice", async () => {
    const lock = `${bin}/camera.lock`;
    tools.install(
      "rpicam-still",
      `[ -e "${lock}" ] && { echo "ERROR: pipeline handler in use" >&2; exit 1; }
touch "${lock}"; sleep 0.2; cat "${bin}/photo.jpg"; rm "${lock}"`,
    );
    const camera = await createCamera({
      kind: "rpicam",
      width: 50,
      height: 50,
      log: silentLogger,
      env,
    });
    const shots = await Promise.all([1, 2, 3].map(() => camera.snapshot(at)));
    for (const s of shots) expect((await sharp(s).metadata()).width).toBe(50);
  });

  test("a tool that fails: the error has its exit code and stderr tail", async () => {
    tools.install(
      "rpicam-still",
      `echo "Preview window unavailable" >&2; echo "ERROR: *** no cameras available ***" >&2; exit 255`,
    );
    const camera = await createCamera({
      kind: "rpicam",
      width: 50,
      height: 50,
      log: silentLogger,
      env,
    });
    const err = await camera.snapshot(at).catch((e) => e);
    expect(err.message).toContain("exited with code 255");
    expect(err.message).toContain("no cameras available");
  });

  test("a tool that hangs is killed at the deadline", async () => {
    tools.install("rpicam-still", "exec sleep 60");
    const camera = await createCamera({
      kind: "rpicam",
      width: 50,
      height: 50,
      log: silentLogger,
      env,
      timeoutMs: 300,
    });
    const err = await camera.snapshot(at).catch((e) => e);
    expect(err.message).toContain("timed out after 300 ms and was killed");
  });

  test("a tool that writes no JPEG, or a broken one: clear errors", async () => {
    tools.install("rpicam-still", "echo not a picture");
    const camera = await createCamera({
      kind: "rpicam",
      width: 50,
      height: 50,
      log: silentLogger,
      env,
    });
    expect((await camera.snapshot(at).catch((e) => e)).message).toContain("did not write a JPEG");
    tools.install("rpicam-still", "printf '\\377\\330\\377\\340broken'");
    expect((await camera.snapshot(at).catch((e) => e)).message).toContain("could not be decoded");
  });

  test("a missing tool: the error names the package to install", async () => {
    const empty = dirs.make();
    for (const [kind, pkg] of [
      ["rpicam", "rpicam-apps"],
      ["libcamera", "libcamera-apps"],
      ["ffmpeg", "ffmpeg"],
    ] as const) {
      const err = await createCamera({
        kind,
        width: 50,
        height: 50,
        log: silentLogger,
        env: { PATH: empty },
      }).catch((e) => e);
      expect(err.message).toContain(`sudo apt install ${pkg}`);
    }
  });
});
