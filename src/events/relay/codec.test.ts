import { describe, expect, test } from "bun:test";
import { decodeChange, encodeChange } from "./codec.ts";

const b = (s: string) => Buffer.from(s);

describe("change records", () => {
  test("round trip: key = kind", () => {
    const r = encodeChange({ kind: "reading", origin: "p1", at: 5 });
    expect(r.key).toBe("reading");
    expect(decodeChange(b(r.key), b(r.value))).toEqual({ kind: "reading", origin: "p1", at: 5 });
  });

  test("anything else is null, never a throw", () => {
    expect(decodeChange(b("nope"), b('{"origin":"p","at":1}'))).toBeNull();
    expect(decodeChange(null, b('{"origin":"p","at":1}'))).toBeNull();
    expect(decodeChange(b("alert"), null)).toBeNull();
    expect(decodeChange(b("alert"), b("{"))).toBeNull();
    expect(decodeChange(b("alert"), b('{"origin":1,"at":1}'))).toBeNull();
    expect(decodeChange(b("alert"), b("null"))).toBeNull();
    expect(decodeChange(b("alert"), b(`{"origin":"${"x".repeat(2000)}","at":1}`))).toBeNull();
  });
});
