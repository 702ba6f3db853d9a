import { describe, expect, test } from "bun:test";
import { parseNotifyConfig } from "../config/schema.ts";
import { inQuietHours, route } from "./routes.ts";

const config = parseNotifyConfig({
  channels: {
    phone: { type: "ntfy", topic: "t" },
    mail: { type: "email", host: "h", from: "a@b", to: ["c@d"] },
    bus: { type: "mqtt" },
  },
  routes: [
    { channels: ["bus"], cleared: true },
    { channels: ["phone"], kinds: ["bin-full"], subjects: ["bin 3"], quiet_hours: "22:00-07:00" },
    { channels: ["mail"], severities: ["critical"] },
  ],
});
const at = (h: number, m = 0) => new Date(2026, 0, 5, h, m);
const bin3 = { event: "raised", kind: "bin-full", subject: "bin 3", severity: "warning" } as const;

describe("route", () => {
  test("filters on kind, subject and severity; an absent filter matches all", () => {
    expect([...route(config.routes, bin3, at(12))]).toEqual([
      ["bus", "send"],
      ["phone", "send"],
    ]);
    expect([...route(config.routes, { ...bin3, subject: "bin 4" }, at(12)).keys()]).toEqual([
      "bus",
    ]);
    expect([...route(config.routes, { ...bin3, severity: "critical" }, at(12)).keys()]).toEqual([
      "bus",
      "phone",
      "mail",
    ]);
  });

  test("a cleared alert goes only where a route asks for it", () => {
    expect([...route(config.routes, { ...bin3, event: "cleared" }, at(12)).keys()]).toEqual([
      "bus",
    ]);
  });

  test("quiet hours keep all but critical alerts quiet", () => {
    expect(route(config.routes, bin3, at(23)).get("phone")).toBe("quiet");
    expect(route(config.routes, bin3, at(6, 59)).get("phone")).toBe("quiet");
    expect(route(config.routes, bin3, at(7)).get("phone")).toBe("send");
    expect(route(config.routes, { ...bin3, severity: "critical" }, at(23)).get("phone")).toBe(
      "send",
    );
  });
});

describe("inQuietHours", () => {
  test("a span within one day, and one past midnight", () => {
    expect(inQuietHours("12:30-13:00", at(12, 30))).toBe(true);
    expect(inQuietHours("12:30-13:00", at(13, 0))).toBe(false);
    expect(inQuietHours("12:30-13:00", at(12, 29))).toBe(false);
    expect(inQuietHours("22:00-07:00", at(0, 0))).toBe(true);
    expect(inQuietHours("22:00-07:00", at(21, 59))).toBe(false);
  });
});

describe("config", () => {
  test("a route naming an unknown channel, or bad quiet hours, is refused with the field", () => {
    expect(() => parseNotifyConfig({ routes: [{ channels: ["nope"] }] })).toThrow(
      /routes\.0\.channels: no channel named 'nope'/,
    );
    expect(() =>
      parseNotifyConfig({
        channels: { b: { type: "mqtt" } },
        routes: [{ channels: ["b"], quiet_hours: "25:00-07:00" }],
      }),
    ).toThrow(/quiet_hours/);
    expect(() =>
      parseNotifyConfig({ channels: { w: { type: "webhook", url: "http://x", secret: "short" } } }),
    ).toThrow(/channels\.w\.secret/);
  });
});
