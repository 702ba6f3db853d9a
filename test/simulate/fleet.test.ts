/**
 * `iot serve` + `iot simulate` (both real processes, real ports): everything the fleet does
 * shows in the JSON API, and a coffee device obeys POST /status/<id>.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { counts, startSimulateProcess, type SimulateProcess } from "../support/simulate-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-simulate-");
let serve: ServeProcess;
let sim: SimulateProcess;
let http: string;

type Row = Record<string, unknown>;
const api = async (path: string) => (await (await fetch(`${http}${path}`)).json()) as Row[];
const post = (path: string, body: unknown) =>
  fetch(`${http}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const alerts = async (kind: string) =>
  (await api("/api/alerts?limit=1000")).filter((a) => a.kind === kind);
const coffee = async () => (await api("/api/devices")).filter((d) => d.kind === "coffee");

beforeAll(async () => {
  serve = await startServeProcess({
    dataDir: dirs.make(),
    args: ["--presence-min-away-seconds", "2"],
  });
  http = `http://127.0.0.1:${serve.httpPort}`;
  sim = startSimulateProcess(serve, [
    ...["--duration", "300", "--seed", "7", "--interval", "200"],
    ...["--rooms", "2", "--coffee", "2", "--people", "5", "--bins", "2"],
    ...["--image-interval", "500", "--video-fps", "4", "--report-every", "1"],
  ]);
});
afterAll(async () => {
  await sim?.stop();
  await serve?.stop();
  dirs.cleanup();
});

describe("iot simulate → iot serve", () => {
  test("rooms report readings, their rules are installed, and an excursion raises a room alert", async () => {
    await waitFor(async () => (await api("/api/rooms")).length === 2, 30_000, "2 rooms");
    await waitFor(async () => (await api("/api/rules")).length === 2, 30_000, "2 rules");
    await waitFor(async () => (await alerts("room-rule")).length > 0, 30_000, "a room alert");
    const [alert] = await alerts("room-rule");
    expect(alert!.message).toMatch(/temperature max [\d.]+ > 30/);
  });

  test("employees badge in and out, and the one away far longer is flagged", async () => {
    await waitFor(async () => (await api("/api/people")).length === 5, 30_000, "5 people");
    await waitFor(async () => (await alerts("away-too-long")).length > 0, 60_000, "presence alert");
    // the wanderer is flagged first (others' short breaks, rounded to the entrance events' whole
    // seconds, could later add up past this test's 2-second minimum; the wanderer's stay cannot lose)
    const byAge = (await alerts("away-too-long")).sort((a, b) => Number(a.id) - Number(b.id));
    expect(byAge[0]).toMatchObject({ subject: "ana", state: "open" });
    expect(byAge[0]!.message).toMatch(/^ana has been away \d+ min today/);
    const people = await api("/api/people");
    expect(people.find((p) => p.name === "ana")).toMatchObject({ state: "out", flagged: true });
  });

  test("bins fill up to FULL and raise an alert", async () => {
    await waitFor(
      async () => (await api("/api/bins?limit=1000")).some((b) => b.full),
      30_000,
      "FULL",
    );
    const levels = (await api("/api/bins?limit=1000")).map((b) => b.bin_level);
    expect(levels.some((l) => /^\d+$/.test(String(l)))).toBe(true);
    await waitFor(async () => (await alerts("bin-full")).length > 0, 30_000, "bin alert");
  });

  test("the camera's snapshots are stored and its video plays at /video_feed", async () => {
    await waitFor(
      async () => (await api("/api/images?device_id=sim-cam-1")).length > 0,
      30_000,
      "image",
    );
    const [image] = await api("/api/images?device_id=sim-cam-1");
    expect(image).toMatchObject({ width: 500, height: 500 });
    const cam = (await api("/api/devices")).find((d) => d.id === "sim-cam-1");
    expect(cam?.online).toBe(true);
    const jpeg = await fetch(`${http}/images/${image!.id}.jpg`);
    expect(Buffer.from(await jpeg.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    const ctrl = new AbortController();
    const res = await fetch(`${http}/video_feed?device=sim-cam-1`, { signal: ctrl.signal });
    expect(res.headers.get("content-type")).toBe("multipart/x-mixed-replace; boundary=frame");
    const reader = res.body!.getReader();
    let got = Buffer.alloc(0);
    const frames = () => got.toString("latin1").split("--frame\r\n").length - 1;
    while (frames() < 3) got = Buffer.concat([got, (await reader.read()).value!]);
    ctrl.abort();
    const part = got.toString("latin1").split("--frame\r\n")[1]!;
    expect(part).toContain("Content-Type: image/jpeg");
    expect(part.split("\r\n\r\n")[1]!.startsWith("\xff\xd8")).toBe(true);
  });

  test("coffee devices move; Inactive stops one (one last message), Active makes it move again", async () => {
    await waitFor(async () => (await coffee()).length === 2, 30_000, "2 coffee devices");
    const [target, other] = (await coffee()).map((d) => String(d.id)) as [string, string];
    const position = async (id: string) => {
      const d = (await coffee()).find((x) => x.id === id)!;
      return { x: d.x, y: d.y, status: d.status, last_seen: d.last_seen };
    };
    const moves = async (id: string, times: number) => {
      let last = await position(id);
      for (let seen = 0; seen < times;) {
        await waitFor(
          async () => JSON.stringify(await position(id)) !== JSON.stringify(last),
          30_000,
          `${id} to move`,
        );
        last = await position(id);
        seen++;
      }
    };
    await moves(target, 2);

    const off = await post(`/status/${target}`, { status: "Inactive" });
    expect(await off.json()).toEqual({ message: `Status of ${target} updated to Inactive` });
    await waitFor(async () => (await position(target)).status === "Inactive", 30_000, "Inactive");
    const stopped = await position(target);
    await moves(other, 5); // time passes and the pipeline flows: the other one keeps moving
    expect(await position(target)).toEqual(stopped);

    await post(`/status/${target}`, { status: "Active" });
    await waitFor(async () => (await position(target)).status === "Active", 30_000, "Active");
    await moves(target, 2);
  });

  test("progress lines count what was sent; SIGTERM stops it with a final report", async () => {
    await waitFor(() => sim.lines.some((l) => /images=\d/.test(l)), 30_000, "a progress line");
    expect(await sim.stop()).toBe(0);
    const last = sim.lines[sim.lines.length - 1]!;
    expect(last).toMatch(/^iot simulate: total /);
    const c = counts(last);
    for (const k of ["rules", "room", "entrance", "bin", "binFull", "coffee", "images", "frames"])
      expect(c[k]).toBeGreaterThan(0);
    expect(c.coffeeStopped).toBe(1);
    expect(c.errors ?? 0).toBe(0);
    const camera = async () => (await api("/api/devices")).find((d) => d.id === "sim-cam-1");
    await waitFor(async () => (await camera())?.online === false, 30_000, "the camera offline");
  });
});
