import { describe, expect, test } from "bun:test";
import { outboxCodec } from "./codec.ts";

describe("outbox codec", () => {
  test("a device message round-trips as a device message", () => {
    const m = {
      kind: "image" as const,
      msgId: "1.x-7",
      headers: { a: "b" },
      payload: Buffer.from([0, 255]),
    };
    const stored = outboxCodec.encode(m);
    expect(stored).toEqual({ kind: "image", id: "1.x-7", h: { a: "b" }, v: "AP8=" });
    expect(outboxCodec.decode(JSON.parse(JSON.stringify(stored)))).toEqual(m);
  });

  test("entries of the first format (a Kafka record with the kind as topic) are still read", () => {
    const before = { t: "telemetry", k: null, h: { msg_id: "3.y-1", captured_at: "9" }, v: "e30=" };
    expect(outboxCodec.decode(before)).toEqual({
      kind: "telemetry",
      msgId: "3.y-1",
      headers: { captured_at: "9" },
      payload: Buffer.from("{}"),
    });
  });
});
