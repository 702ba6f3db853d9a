import { describe, expect, test } from "bun:test";
import { mqttClientIdAllowed, mqttPublishAllowed, mqttSubscribeAllowed } from "./mqtt-policy.ts";
import type { Principal } from "./roles.ts";

const device: Principal = { subject: "pi-1", role: "device", tokenId: "t1" };
const reader: Principal = { subject: "ops", role: "reader", tokenId: "t2" };
const admin: Principal = { subject: "root", role: "admin", tokenId: "t3" };

describe("MQTT policy", () => {
  test("a device subscribes under its own iot/<id>/ only; wider wildcards are refused", () => {
    for (const f of ["iot/pi-1/command", "iot/pi-1/#", "iot/pi-1/+", "iot/pi-1/+/x"])
      expect({ f, ok: mqttSubscribeAllowed(device, f) }).toEqual({ f, ok: true });
    for (const f of [
      "#",
      "+/#",
      "$SYS/#",
      "iot/#",
      "iot/+/command",
      "iot/+/#",
      "iot/pi-2/#",
      "iot/pi-1",
      "iot/pi-10/#",
      "coffee",
      "hello/world",
      "$share/g/iot/pi-1/#",
    ])
      expect({ f, ok: mqttSubscribeAllowed(device, f) }).toEqual({ f, ok: false });
  });

  test("a device publishes under its own subtree; a reader nowhere; an admin anywhere", () => {
    expect(mqttPublishAllowed(device, "iot/pi-1/telemetry")).toBe(true);
    expect(mqttPublishAllowed(device, "iot/pi-2/telemetry")).toBe(false);
    expect(mqttPublishAllowed(device, "coffee")).toBe(false);
    expect(mqttPublishAllowed(reader, "iot/ops/telemetry")).toBe(false);
    expect(mqttSubscribeAllowed(reader, "#")).toBe(true);
    expect(mqttSubscribeAllowed(reader, "$SYS/#")).toBe(true);
    expect(mqttPublishAllowed(admin, "iot/pi-2/command")).toBe(true);
  });

  test("client ids: the subject, or the subject then '/'; admins any", () => {
    expect(mqttClientIdAllowed(device, "pi-1")).toBe(true);
    expect(mqttClientIdAllowed(device, "pi-1/camera")).toBe(true);
    expect(mqttClientIdAllowed(device, "pi-2")).toBe(false);
    expect(mqttClientIdAllowed(device, "pi-10")).toBe(false);
    expect(mqttClientIdAllowed(device, "pi-1-x")).toBe(false);
    expect(mqttClientIdAllowed(device, "mqttjs_1234")).toBe(false);
    expect(mqttClientIdAllowed(reader, "pi-1")).toBe(false);
    expect(mqttClientIdAllowed(admin, "pi-1")).toBe(true);
  });
});
