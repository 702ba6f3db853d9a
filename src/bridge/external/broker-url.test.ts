import { describe, expect, test } from "bun:test";
import { parseBrokerUrl } from "./broker-url.ts";

describe("parseBrokerUrl", () => {
  test("schemes, default ports, credentials", () => {
    expect(parseBrokerUrl("mqtt://127.0.0.1:1884")).toEqual({
      host: "127.0.0.1",
      port: 1884,
      tls: false,
      username: undefined,
      password: undefined,
    });
    expect(parseBrokerUrl("mqtts://bridge:p%40ss@broker.lan")).toMatchObject({
      host: "broker.lan",
      port: 8883,
      tls: true,
      username: "bridge",
      password: "p@ss",
    });
    expect(parseBrokerUrl("tcp://[::1]")).toMatchObject({ host: "::1", port: 1883, tls: false });
  });

  test("websockets are refused with the reason", () => {
    expect(() => parseBrokerUrl("ws://host:8080")).toThrow(/mqtt:\/\/ and mqtts:\/\/ only/);
  });
});
