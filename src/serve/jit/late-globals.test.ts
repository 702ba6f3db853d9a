import { expect, test } from "bun:test";
import { createLateGlobals, lateGlobals } from "./late-globals.ts";

test("each late global is read once", () => {
  const reads: string[] = [];
  const global = new Proxy({}, { get: (_, name) => void reads.push(String(name)) });
  createLateGlobals(global);
  expect(reads).toEqual([...lateGlobals]);
});

test("each late global exists in this runtime (a misspelt name would be read for nothing)", () => {
  for (const name of lateGlobals)
    expect(typeof (globalThis as Record<string, unknown>)[name]).toBe("function");
});
