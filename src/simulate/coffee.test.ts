import { describe, expect, test } from "bun:test";
import { coffeeIds, parseCommand } from "./coffee.ts";
import { createRng } from "./prng.ts";

describe("coffee devices", () => {
  test("ids look like the seed's (3DF92-192), unique and seeded", () => {
    const ids = coffeeIds(50, createRng(1));
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9A-F]{5}-\d{3}$/);
    expect(coffeeIds(5, createRng(1))).toEqual(ids.slice(0, 5));
  });

  test("commands: plain or JSON Active/Inactive; anything else is not a command", () => {
    expect(parseCommand(Buffer.from("Inactive"))).toBe("Inactive");
    expect(parseCommand(Buffer.from('{"status":"Active"}'))).toBe("Active");
    expect(parseCommand(Buffer.from("active"))).toBeNull();
    expect(parseCommand(Buffer.from("{nope"))).toBeNull();
  });
});
