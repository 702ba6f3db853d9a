import { describe, expect, test } from "bun:test";
import { fitToFdLimit, openFilesLimit } from "./fd-limit.ts";

describe("open-file limit", () => {
  test("reads the soft limit from /proc/self/limits", () => {
    const limits =
      "Limit  Soft Limit  Hard Limit  Units\nMax open files            1024                 524288               files\n";
    expect(openFilesLimit(() => limits)).toBe(1024);
    expect(openFilesLimit(() => "Max open files unlimited unlimited files")).toBe(Infinity);
    expect(
      openFilesLimit(() => {
        throw new Error("no /proc");
      }),
    ).toBeNull();
    expect(openFilesLimit()).toBeGreaterThan(0); // this machine's
  });

  test("caps that do not leave the reserve free are scaled down in proportion", () => {
    expect(fitToFdLimit({ a: 100, b: 100 }, 1024, 512)).toEqual({
      caps: { a: 100, b: 100 },
      scaled: false,
    });
    expect(fitToFdLimit({ a: 1024, b: 512 }, 1024, 512)).toEqual({
      caps: { a: 341, b: 170 },
      scaled: true,
    });
    expect(fitToFdLimit({ a: 1024 }, null, 512).scaled).toBe(false);
  });
});
