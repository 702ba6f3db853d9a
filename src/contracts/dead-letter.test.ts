import { expect, test } from "bun:test";
import { reducedDeadLetter } from "./dead-letter.ts";
import { OVERSIZED_HEADER } from "../core/kafka/oversized.ts";

test("the reduced form keeps the reason, the place, the original headers and size, and a prefix", () => {
  const m = reducedDeadLetter({
    reason: "record too large",
    source: "kafka:temp_test/1@42",
    key: "pi-1",
    value: Buffer.alloc(1024, "a"), // what the codec left of a 20 MiB value
    headers: { msg_id: "m-1", [OVERSIZED_HEADER]: String(20 << 20) },
    from: { topic: "temp_test", partition: 1, offset: 42 },
  });
  expect(m.headers).toMatchObject({
    reason: "record too large",
    source: "kafka:temp_test/1@42",
    reduced: "true",
    "original-size": String(20 << 20),
    topic: "temp_test",
    partition: "1",
    offset: "42",
    "original.msg_id": "m-1",
  });
  expect(m.headers[OVERSIZED_HEADER]).toBeUndefined();
  expect(`${m.key}`).toBe("pi-1");
  expect((m.value as Buffer).length).toBe(1024);
});

test("a large value is cut to its first KiB and its own size is the original size", () => {
  const m = reducedDeadLetter({ reason: "r", source: "mqtt:coffee", value: "x".repeat(3 << 20) });
  expect(m.headers["original-size"]).toBe(String(3 << 20));
  expect((m.value as Buffer).length).toBe(1024);
  expect(m.headers.topic).toBeUndefined();
});
