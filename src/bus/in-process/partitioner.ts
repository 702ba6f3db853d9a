/**
 * Which partition a record goes to, exactly as kafkajs's default partitioner (Java's
 * DefaultPartitioner before KIP-480) chooses: murmur2 of the key, or round robin without one —
 * so a device's records land in the same partition whichever client produced them.
 */
import { boundedMemo } from "../../core/memo/bounded.ts";

const M = 0x5bd1e995;

/** Kafka's murmur2 (seed 0x9747b28c), as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** One per producer: its round-robin counters start at random, as kafkajs's do. */
export function createPartitioner() {
  const counters = new Map<string, number>();
  // a device's records all carry its id as the key: hashed once, not once per record
  const hashOf = boundedMemo((key) => murmur2(Buffer.from(key)) & 0x7fffffff);
  return (topic: string, key: string | Buffer | null, partitions: number): number => {
    if (typeof key === "string") return hashOf(key) % partitions;
    if (key !== null) return (murmur2(key) & 0x7fffffff) % partitions;
    const next = ((counters.get(topic) ?? Math.floor(Math.random() * 2 ** 31)) + 1) & 0x7fffffff;
    counters.set(topic, next);
    return next % partitions;
  };
}
