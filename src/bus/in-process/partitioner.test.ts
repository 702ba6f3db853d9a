import { expect, test } from "bun:test";
import { createPartitioner, murmur2 } from "./partitioner.ts";

// kafkajs's own murmur2 (not exported by the package's entry point)
const kafkajsMurmur2 = require("kafkajs/src/producer/partitioners/default/murmur2.js") as (
  key: Buffer,
) => number;

test("murmur2 equals kafkajs's for keys of every length", () => {
  for (let n = 0; n < 2000; n++) {
    const key = Buffer.from(Array.from({ length: n % 41 }, (_, i) => (n * 31 + i * 17) % 256));
    expect(murmur2(key)).toBe(kafkajsMurmur2(key));
  }
});

test("a key always lands where kafkajs would put it; no key goes round robin", () => {
  const partitionOf = createPartitioner();
  for (const key of ["dev-1", "room-7", "a", ""]) {
    const expected = (kafkajsMurmur2(Buffer.from(key)) & 0x7fffffff) % 3;
    expect(partitionOf("t", key, 3)).toBe(expected);
    expect(partitionOf("t", Buffer.from(key), 3)).toBe(expected);
  }
  const spread = new Set(Array.from({ length: 6 }, () => partitionOf("t", null, 3)));
  expect(spread.size).toBe(3);
});

test("string keys hashed once still land where kafkajs puts them, past the partitioner's bound", () => {
  const partitionOf = createPartitioner();
  for (let round = 0; round < 2; round++)
    for (let n = 0; n < 5000; n += 7) {
      const key = n % 100 === 0 ? `long-${n}-${"k".repeat(300)}` : `dev-${n}`;
      for (const partitions of [1, 2, 3, 7])
        expect(partitionOf("t", key, partitions)).toBe(
          (kafkajsMurmur2(Buffer.from(key)) & 0x7fffffff) % partitions,
        );
    }
});
