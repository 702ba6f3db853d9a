import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { mapMessage } from "./mapping.ts";
import { loadBridgeRules } from "./rules-file.ts";

const dirs = tempDirs("iot-rules-");
afterEach(() => dirs.cleanup());
const file = (content: string) => {
  const path = join(dirs.make(), "rules.json");
  writeFileSync(path, content);
  return path;
};

describe("--bridge-rules", () => {
  test("a rules file maps custom topics", () => {
    const rules = loadBridgeRules(
      file(
        '[{"filter":"farm/+/soil","kafkaTopic":"farm.soil","key":{"segment":0},"json":true,' +
          '"headers":{"site":"north"}}]',
      ),
    );
    expect(mapMessage(rules, "farm/f7/soil", Buffer.from('{"moisture":3}'), 1)).toMatchObject({
      kind: "record",
      record: { topic: "farm.soil", key: "f7", headers: { site: "north" } },
    });
    expect(mapMessage(rules, "coffee", Buffer.from("{}"), 1)).toEqual({ kind: "unmapped" });
  });

  test("bad files are refused with the place of the problem", () => {
    expect(() => loadBridgeRules(file("{nope"))).toThrow(/--bridge-rules .*JSON/);
    expect(() => loadBridgeRules(file('[{"filter":"a","kafkaTopic":"a/b","key":null}]'))).toThrow(
      /\[0.kafkaTopic\] not a valid Kafka topic name/,
    );
    expect(() => loadBridgeRules(file("[]"))).toThrow();
    expect(() =>
      loadBridgeRules(file('[{"filter":"a/+","kafkaTopic":"a","key":{"segment":1}}]')),
    ).toThrow(/\[0.key.segment\] key.segment counts/);
  });
});
