import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { openStore } from "../store/index.ts";
import { diskUsage } from "../store/usage.ts";
import { measureInChild } from "./measure.ts";

const dirs = tempDirs("iot-measure-");
afterAll(() => dirs.cleanup());

test("iot __usage measures in a child what diskUsage measures here, beside an open writer", async () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  const insert = s.sqlite.prepare(
    "INSERT INTO readings (device_id, ts, temperature, src_topic, src_partition, src_offset) VALUES ('d', ?, 20, 't', 0, ?)",
  );
  s.sqlite.transaction(() => {
    for (let i = 0; i < 5000; i++) insert.run(i, i);
  })();
  s.sqlite.run(
    "INSERT INTO images (device_id, ts, path, bytes, src_topic, src_partition, src_offset) VALUES ('cam', 1, '/x', 1234, 't', 0, 1)",
  );
  const child = await measureInChild(path);
  const here = diskUsage(s.sqlite);
  expect(child.kinds.readings.rows).toBe(5000);
  expect(child.kinds.readings.dbBytes).toBeGreaterThan(5000 * 20);
  expect(child.kinds.images).toEqual({
    rows: 1,
    dbBytes: here.kinds.images.dbBytes,
    fileBytes: 1234,
  });
  expect({ ...child, at: 0 }).toEqual({ ...here, at: 0 });
  s.close();
}, 30_000);

test("a failing child is an error, not a made-up answer", async () => {
  await expect(measureInChild(join(dirs.make(), "missing", "iot.db"))).rejects.toThrow(
    "__usage exited",
  );
}, 30_000);
