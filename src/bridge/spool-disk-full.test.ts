/**
 * The spool on a full disk (a real tmpfs; root only, skipped elsewhere): a refused append is
 * cut back and reported, nothing half-written is ever drained, and appends resume with space.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { StorageError } from "../core/disk/errors.ts";
import { mountTmpfs } from "../../test/support/tmpfs.ts";
import { ReportingSpool } from "./reporting-spool.ts";
import { Spool } from "./spool.ts";

const tmpfs = mountTmpfs(2, "iot-spool-full-");
afterAll(() => tmpfs?.unmount());

const record = (i: number, bytes = 64) => ({
  topic: "iot.telemetry",
  key: "d1",
  value: Buffer.from(String(i).padEnd(bytes, ".")),
  headers: { n: String(i) },
});

describe.skipIf(!tmpfs)("Spool on a full disk", () => {
  test("refused appends change nothing and are reported; appends resume when space returns", () => {
    const dataDir = join(tmpfs!.dir, "d");
    const events: string[] = [];
    const disk = {
      refused: (s: string) => void events.push(`refused ${s}`),
      accepted: (s: string) => void events.push(`accepted ${s}`),
    };
    const spool = new ReportingSpool(dataDir, 64 << 20, disk);
    spool.append([record(0)]);
    tmpfs!.fill();
    // 512 KiB of records cannot fit: pages written before ENOSPC are cut back
    const big = Array.from({ length: 64 }, (_, i) => record(100 + i, 8192));
    expect(() => spool.append(big)).toThrow(StorageError);
    expect(() => spool.append(big)).toThrow(StorageError);
    expect(spool.length).toBe(1);
    tmpfs!.unfill();
    spool.append([record(1)]);
    expect(events).toEqual([
      "accepted bridge-spool",
      "refused bridge-spool",
      "refused bridge-spool",
      "accepted bridge-spool",
    ]);
    spool.close();
    const reopened = new Spool(dataDir, 64 << 20);
    expect(reopened.peek(100).items.map((r) => r.headers.n)).toEqual(["0", "1"]);
    reopened.close();
  });
});
