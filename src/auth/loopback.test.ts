import { describe, expect, test } from "bun:test";
import { isLoopbackAddress, resolveHost } from "./loopback.ts";
import { requiresAuth } from "./policy.ts";

describe("isLoopbackAddress", () => {
  test.each([
    "127.0.0.1",
    "127.0.0.2",
    "127.255.255.254",
    "::1",
    "0:0:0:0:0:0:0:1",
    "[::1]",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "0:0:0:0:0:ffff:127.1.2.3",
  ])("%s is loopback", (ip) => expect(isLoopbackAddress(ip)).toBe(true));

  test.each([
    "0.0.0.0",
    "::",
    "10.0.0.1",
    "128.0.0.1",
    "::2",
    "::ffff:10.0.0.1",
    "::ffff:0.0.0.0",
    "::127.0.0.1", // IPv4-compatible, not mapped: not bound as loopback
    "fe80::1",
    "localhost", // a name, not an address
  ])("%s is not loopback", (ip) => expect(isLoopbackAddress(ip)).toBe(false));
});

describe("resolveHost: decided on what the host resolves to, not on how it is spelled", () => {
  test.each(["127.1", "127.0.0.2", "localhost", "::1", "::ffff:127.0.0.1", "2130706433"])(
    "%s resolves to loopback only",
    async (host) => expect((await resolveHost(host)).loopback).toBe(true),
  );

  test.each(["0.0.0.0", "::"])("%s binds every interface", async (host) =>
    expect((await resolveHost(host)).loopback).toBe(false),
  );

  test("127.1 is 127.0.0.1, as the listeners bind it", async () => {
    expect((await resolveHost("127.1")).addresses).toEqual(["127.0.0.1"]);
  });

  test("a name that does not resolve is an error naming it", async () => {
    await expect(resolveHost("no-such-host.invalid")).rejects.toThrow(
      "--host no-such-host.invalid does not resolve",
    );
  });
});

describe("requiresAuth", () => {
  test("open on anything that binds loopback, protected elsewhere unless --insecure", async () => {
    expect(await requiresAuth("127.1", false)).toBe(false);
    expect(await requiresAuth("::ffff:127.0.0.1", false)).toBe(false);
    expect(await requiresAuth("localhost", false)).toBe(false);
    expect(await requiresAuth("0.0.0.0", false)).toBe(true);
    expect(await requiresAuth("0.0.0.0", true)).toBe(false);
  });
});
