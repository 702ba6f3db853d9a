import { expect, test } from "bun:test";
import { parseStat, sampleProcess, snapshot, statusKb } from "./proc.ts";

test("parseStat reads utime and stime after a command name with spaces and parens", () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
  const stat = `1234 (a (b) c) ${fields.join(" ")}`;
  // field n is at index n-3 of the fields: utime = field 14, stime = field 15
  expect(parseStat(stat)).toEqual({ utime: 14, stime: 15 });
});

test("statusKb", () => {
  const status = "Name:\tbun\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n";
  expect(statusKb(status, "VmRSS")).toBe(1024 * 1024);
  expect(statusKb(status, "VmHWM")).toBe(2048 * 1024);
  expect(statusKb(status, "VmSwap")).toBe(0);
});

test("samples this process: RSS above zero, CPU counted while busy", async () => {
  expect(snapshot(process.pid).rssBytes).toBeGreaterThan(1e6);
  const s = sampleProcess(process.pid, 20);
  const until = performance.now() + 150;
  while (performance.now() < until); // busy
  await Bun.sleep(30);
  const u = s.stop();
  expect(u.rssMaxMB).toBeGreaterThan(1);
  expect(u.rssMaxMB).toBeGreaterThanOrEqual(u.rssMeanMB);
  expect(u.cpuPercent).toBeGreaterThan(10);
});
