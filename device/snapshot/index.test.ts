import { expect, test } from "bun:test";
import { join } from "node:path";
import { createLogger } from "../../src/core/log/index.ts";
import { loadSharp } from "../../src/core/image/sharp/index.ts";
import { createSnapshotCamera } from "./index.ts";

const self = [process.execPath, join(import.meta.dir, "../../src/main.ts")];
const log = createLogger("silent");

test("a snapshot taken by a child process: a resized JPEG", async () => {
  const camera = createSnapshotCamera({ kind: "sim", width: 320, height: 240 }, log, { self });
  const jpeg = await camera.snapshot(new Date(2026, 10, 22, 10, 0, 0));
  const meta = await (await loadSharp())(jpeg).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 320, 240]);
  await camera.close();
});

test("the child's failure is the snapshot's error, with its reason", async () => {
  const camera = createSnapshotCamera({ kind: "sim", width: 0, height: 240 }, log, { self });
  await expect(camera.snapshot(new Date())).rejects.toThrow(/exited with code 1: iot __snapshot: /);
});

test("a missing capture tool is a start-up error naming its package", () => {
  const saved = process.env.PATH;
  process.env.PATH = "/nonexistent";
  try {
    expect(() => createSnapshotCamera({ kind: "rpicam", width: 500, height: 500 }, log)).toThrow(
      /rpicam-still' not found/,
    );
  } finally {
    process.env.PATH = saved;
  }
});
