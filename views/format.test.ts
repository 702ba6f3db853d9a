import { describe, expect, test } from "bun:test";
import { bytes, clock } from "./format.ts";

describe("format", () => {
  test("bytes in binary units, one decimal under 10", () => {
    expect(bytes(0)).toBe("0 B");
    expect(bytes(1023)).toBe("1023 B");
    expect(bytes(1024)).toBe("1.0 KiB");
    expect(bytes(3.44 * 1024 * 1024)).toBe("3.4 MiB");
    expect(bytes(12 * 1024 ** 3)).toBe("12 GiB");
  });

  test("clock: the local date and time, as Swedish dates read", () => {
    const ts = Date.UTC(2026, 4, 4, 13, 2, 9);
    const d = new Date(ts);
    const two = (n: number) => String(n).padStart(2, "0");
    expect(clock(ts)).toBe(
      `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
        `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`,
    );
    expect(clock(null)).toBe("—");
  });
});
