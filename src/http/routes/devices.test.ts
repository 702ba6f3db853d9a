import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Health } from "../../health/index.ts";
import { MetricsRegistry } from "../../metrics/index.ts";
import { openStore } from "../../store/index.ts";
import { sqliteEngine } from "../../store/engine/index.ts";
import { deviceRows } from "../../store/devices.ts";
import { deviceQueries } from "../../store/device-queries.ts";
import { imageRows } from "../../store/images.ts";
import { queries } from "../../store/queries.ts";
import { tempDirs } from "../../../test/support/temp.ts";
import { createApp } from "../app.tsx";
import { requireHttpToken } from "./login.ts";
import { createToken } from "../../auth/tokens.ts";
import { deviceRoutes } from "./devices.ts";

const dirs = tempDirs("iot-device-routes-");
afterAll(() => dirs.cleanup());

const src = (offset: number) => ({
  srcTopic: "iot.image",
  srcPartition: 0,
  srcOffset: offset,
  srcEpoch: 0,
  srcTimestamp: offset,
});

let nextOffset = 0;

async function setup(guarded = false) {
  const dataDir = dirs.make();
  const store = openStore(join(dataDir, "iot.db"));
  const engine = sqliteEngine(store.db);
  const token = await createToken(engine, "http", "ops");
  const app = createApp({
    health: new Health(),
    metrics: new MetricsRegistry(),
    version: "t",
    guard: guarded ? requireHttpToken(engine) : undefined,
    routers: [deviceRoutes({ engine, dataDir })],
  });
  /** a camera with `n` images (files on disk) and a device that shares nothing with it */
  const camera = (id: string, n: number) => {
    const dir = join(dataDir, "images", id);
    mkdirSync(dir, { recursive: true });
    const paths: string[] = [];
    for (let i = 0; i < n; i++) {
      const path = join(dir, `${id}-${i}.jpg`);
      writeFileSync(path, "jpeg");
      imageRows(store.db).insert({
        deviceId: id,
        ts: 1000 + i,
        path,
        bytes: 4,
        width: null,
        height: null,
        msgId: `${id}-${i}`,
        ...src(nextOffset++),
      });
      paths.push(path);
    }
    deviceRows(store.db).touch(id, 2000);
    return paths;
  };
  const post = (path: string, body: unknown, form = false, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: "POST",
      headers: form
        ? { "content-type": "application/x-www-form-urlencoded", ...headers }
        : { "content-type": "application/json", ...headers },
      body: form ? new URLSearchParams(body as Record<string, string>) : JSON.stringify(body),
    });
  return { store, app, camera, post, dataDir, token };
}

describe("device write routes", () => {
  test("rename: JSON answers the name, a form goes back to the page; blank clears it", async () => {
    const { store, post } = await setup();
    deviceRows(store.db).touch("pi-1", 1);
    const res = await post("/devices/pi-1/rename", { name: "  Lobby Pi " });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "pi-1", name: "Lobby Pi" });
    expect(deviceQueries(store.db).device("pi-1")?.name).toBe("Lobby Pi");
    const form = await post("/devices/pi-1/rename", { name: "" }, true);
    expect(form.status).toBe(303);
    expect(form.headers.get("location")).toBe("/devices/pi-1");
    expect(deviceQueries(store.db).device("pi-1")?.name).toBeNull();
  });

  test("bad input is a 400 with the reason; an unknown device a 404", async () => {
    const { store, post } = await setup();
    deviceRows(store.db).touch("pi-1", 1);
    const cases: Array<[string, unknown, string]> = [
      ["/devices/pi-1/rename", { name: "x".repeat(65) }, "64"],
      ["/devices/pi-1/rename", { name: "a\nb" }, "control"],
      ["/devices/pi-1/rename", {}, "name"],
      ["/devices/pi-1/delete", { data: "all" }, "data"],
    ];
    for (const [path, body, reason] of cases) {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(reason);
    }
    const notJson = await post("/devices/pi-1/rename", "{", false);
    expect(notJson.status).toBe(400);
    expect((await post("/devices/ghost/rename", { name: "x" })).status).toBe(404);
    expect((await post("/devices/ghost/delete", { data: "keep" })).status).toBe(404);
  });

  test("delete keeping the data leaves images and files; with the data removes them", async () => {
    const { store, post, camera, dataDir } = await setup();
    const kept = camera("cam-a", 2);
    const gone = camera("cam-b", 3);
    const other = camera("cam-c", 1);
    const keep = await post("/devices/cam-a/delete", { data: "keep" });
    expect(await keep.json()).toMatchObject({ deleted: true, images: 0, files: 0 });
    expect(kept.every((p) => existsSync(p))).toBe(true);
    expect(queries(store.db).images("cam-a", 10).length).toBe(2);
    expect(deviceQueries(store.db).device("cam-a")).toBeUndefined();

    const res = await post("/devices/cam-b/delete", { data: "delete" }, true);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/devices");
    expect(gone.filter((p) => existsSync(p))).toEqual([]);
    expect(existsSync(join(dataDir, "images", "cam-b"))).toBe(false);
    expect(queries(store.db).images("cam-b", 10)).toEqual([]);
    // another device's files are untouched
    expect(other.every((p) => existsSync(p))).toBe(true);
    expect(queries(store.db).images("cam-c", 10).length).toBe(1);
  });

  test("protected: a write without a token is refused before anything changes", async () => {
    const { store, post, camera, token } = await setup(true);
    const files = camera("cam-p", 1);
    const refused = await post("/devices/cam-p/delete", { data: "delete" });
    expect(refused.status).toBe(401);
    expect(files.every((p) => existsSync(p))).toBe(true);
    const ok = await post("/devices/cam-p/delete", { data: "delete" }, false, {
      authorization: `Bearer ${token.token}`,
    });
    expect(ok.status).toBe(200);
    expect(deviceQueries(store.db).device("cam-p")).toBeUndefined();
  });
});
