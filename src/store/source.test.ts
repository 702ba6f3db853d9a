/**
 * `positionalInsert` checks at start-up what its caller's binding relies on: the parameters in
 * the caller's order, each stored as given.
 */
import { expect, test } from "bun:test";
import { openStore } from "./index.ts";
import { bins, readings } from "./schema.ts";
import { positionalInsert, recordPlaceholders } from "./source.ts";

const source = ["srcTopic", "srcPartition", "srcOffset", "srcEpoch", "srcTimestamp"] as const;

test("the caller's order must be the SQL's, and no column may need an encoder", () => {
  const { db, close } = openStore(":memory:");
  const reading = db
    .insert(readings)
    .values(recordPlaceholders(["deviceId", "ts", "temperature", "humidity", "msgId"]))
    .onConflictDoNothing();
  const inOrder = ["deviceId", "ts", "temperature", "humidity", ...source, "msgId"] as const;
  const statement = positionalInsert(db, reading, [...inOrder]);
  expect(statement.run("pi", 1, 21, null, "t", 0, 5, 0, 1, "m-1").changes).toBe(1);
  expect(statement.run("pi", 1, 21, null, "t", 0, 5, 0, 1, "m-1").changes).toBe(0);
  // humidity and temperature swapped: would store one as the other
  const swapped = ["deviceId", "ts", "humidity", "temperature", ...source, "msgId"] as const;
  expect(() => positionalInsert(db, reading, [...swapped])).toThrow(/insert binds/);
  // bins.full is a boolean: it needs its encoder (true → 1), which a caller binding by hand skips
  const bin = db
    .insert(bins)
    .values(recordPlaceholders(["binCount", "binLevel", "full", "mTime", "ts", "msgId"]));
  const binOrder = ["binCount", "binLevel", "full", "mTime", "ts", ...source, "msgId"] as const;
  expect(() => positionalInsert(db, bin, [...binOrder])).toThrow(/full has an encoder/);
  close();
});
