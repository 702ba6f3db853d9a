import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { openStore } from "./db.ts";
import { autoVacuumMode, switchToIncrementalVacuum } from "./vacuum.ts";

const dirs = tempDirs("iot-vacuum-");
afterAll(() => dirs.cleanup());

test("a new store gives freed pages back (incremental auto-vacuum from its first table)", () => {
  const s = openStore(join(dirs.make(), "iot.db"));
  expect(autoVacuumMode(s.sqlite)).toBe("incremental");
  s.close();
});

test("an older database is switched once by a VACUUM, its rows kept; then left alone", () => {
  const path = join(dirs.make(), "iot.db");
  const old = new Database(path);
  old.run("PRAGMA journal_mode = WAL");
  old.run("CREATE TABLE t (v TEXT)");
  old.run("INSERT INTO t VALUES ('kept')");
  old.close();
  const s = openStore(path);
  expect(autoVacuumMode(s.sqlite)).toBe("none");
  expect(switchToIncrementalVacuum(s.sqlite)).toBe(true);
  expect(autoVacuumMode(s.sqlite)).toBe("incremental");
  expect(switchToIncrementalVacuum(s.sqlite)).toBe(false);
  expect(s.sqlite.query("SELECT v FROM t").all()).toEqual([{ v: "kept" }]);
  s.close();
});
