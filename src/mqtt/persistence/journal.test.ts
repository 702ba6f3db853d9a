import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../../test/support/temp.ts";
import { encodeEntry } from "../../core/queue/journal.ts";
import { Journal, loadJournal } from "./journal.ts";

const dirs = tempDirs("iot-mqtt-journal-");
afterAll(() => dirs.cleanup());

describe("mqtt state journal", () => {
  test("a snapshot and the appends after it load back in order; old generations go", async () => {
    const dir = dirs.make();
    const j = new Journal(dir, loadJournal(dir).generation);
    await j.rotate([]);
    j.append({ n: 1 });
    await j.append({ n: 2 }, true);
    const rotated = j.rotate([{ n: 1 }, { n: 2 }]); // state captured now
    await j.append({ n: 3 }, true);
    await rotated;
    await j.close();
    expect(loadJournal(dir).entries).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(readdirSync(dir).sort()).toEqual(["2.log", "2.snap"]);
  });

  test("a torn tail (kill -9 mid-append) is dropped; a snapshot never renamed is ignored", () => {
    const dir = dirs.make();
    writeFileSync(join(dir, "1.snap"), encodeEntry({ n: 1 }));
    writeFileSync(join(dir, "1.log"), encodeEntry({ n: 2 }));
    appendFileSync(join(dir, "1.log"), encodeEntry({ n: 3 }).subarray(0, 9));
    // a crash while generation 2's snapshot was being written: its log holds the later appends
    writeFileSync(join(dir, "2.snap.tmp"), encodeEntry({ half: true }));
    writeFileSync(join(dir, "2.log"), encodeEntry({ n: 4 }));
    expect(loadJournal(dir)).toEqual({ entries: [{ n: 1 }, { n: 2 }, { n: 4 }], generation: 2 });
  });
});
