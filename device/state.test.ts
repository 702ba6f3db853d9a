import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../test/support/temp.ts";
import { loadState, parseCommand, saveState, startBoot } from "./state.ts";

const dirs = tempDirs("iot-state-");
afterAll(() => dirs.cleanup());

test("a new device starts Active and counts its boots", () => {
  const dir = dirs.make();
  expect(loadState(dir)).toEqual({ status: "Active", boot: 0 });
  expect(startBoot(dir).boot).toBe(1);
  expect(startBoot(dir).boot).toBe(2);
});

test("the last command survives a restart", () => {
  const dir = dirs.make();
  saveState(dir, { status: "Inactive", boot: 7 });
  expect(startBoot(dir)).toEqual({ status: "Inactive", boot: 8 });
});

test("a corrupt state file is not fatal", () => {
  const dir = dirs.make();
  writeFileSync(join(dir, "state.json"), "{not json");
  expect(loadState(dir)).toEqual({ status: "Active", boot: 0 });
  writeFileSync(join(dir, "state.json"), JSON.stringify({ status: "x", boot: -3 }));
  expect(loadState(dir)).toEqual({ status: "Active", boot: 0 });
});

test("commands: plain text or JSON, anything else refused", () => {
  expect(parseCommand("Active")).toBe("Active");
  expect(parseCommand(Buffer.from("Inactive\n"))).toBe("Inactive");
  expect(parseCommand('{"status":"Inactive"}')).toBe("Inactive");
  expect(parseCommand("inactive")).toBeNull();
  expect(parseCommand("{bad")).toBeNull();
  expect(parseCommand('{"status":3}')).toBeNull();
  expect(parseCommand("")).toBeNull();
});
