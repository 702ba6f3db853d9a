import { describe, expect, test } from "bun:test";
import { createLogger, formatLine } from "./index.ts";

describe("structured logs", () => {
  test("one line per event with time, level, component and fields", () => {
    const line = formatLine(new Date(0), "info", "kafka.broker", "listening", {
      port: 9092,
      reason: "has spaces",
      err: new Error("boom"),
    });
    expect(line).toBe(
      '1970-01-01T00:00:00.000Z INFO  kafka.broker listening port=9092 reason="has spaces" err="boom"',
    );
  });

  test("quiet by default: only warn and above", () => {
    const lines: string[] = [];
    const log = createLogger(undefined, "iot", (l) => lines.push(l));
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines.map((l) => l.split(" ")[1])).toEqual(["WARN", "ERROR"]);
  });

  test("child loggers name their component and keep the level", () => {
    const lines: string[] = [];
    const log = createLogger("debug", "serve", (l) => lines.push(l)).child("http");
    log.debug("x");
    expect(lines[0]).toContain(" serve.http x");
    expect(log.enabled("debug")).toBe(true);
    expect(createLogger("silent").enabled("error")).toBe(false);
  });
});
