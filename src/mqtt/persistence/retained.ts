/**
 * Retained messages with a memory budget. Each message is charged its payload, its topic and a
 * fixed overhead, against its topic prefix (the first two levels: `iot/<device id>`) and against
 * the whole broker. Over a budget the oldest messages of that prefix (or of the broker) are
 * evicted: a retained message is "the last known state", so the newest is the one worth keeping,
 * and a device that floods its own prefix only pushes out its own older messages.
 */
import { matches } from "../topics.ts";

export interface RetainedPacket {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  cmd: "publish";
  properties?: Record<string, unknown>;
  messageExpiry?: number;
}

export interface RetainedLimits {
  /** all retained messages together */
  maxBytes: number;
  /** the retained messages under one prefix (first two topic levels) */
  maxBytesPerPrefix: number;
}

export type EvictReason = "prefix budget" | "total budget" | "too large";

/** what one entry costs besides its payload and topic: Map entries, the packet object */
const OVERHEAD_BYTES = 256;

export function prefixOf(topic: string): string {
  const first = topic.indexOf("/");
  if (first < 0) return topic;
  const second = topic.indexOf("/", first + 1);
  return second < 0 ? topic : topic.slice(0, second);
}

export function costOf(topic: string, payload: Buffer): number {
  return payload.length + topic.length * 2 + OVERHEAD_BYTES;
}

export class RetainedStore {
  /** insertion order = age: a store moves the topic to the end */
  private byTopic = new Map<string, RetainedPacket>();
  private prefixes = new Map<string, { bytes: number; topics: Set<string> }>();
  bytes = 0;

  constructor(
    private limits: RetainedLimits,
    private onEvict: (topic: string, reason: EvictReason) => void = () => {},
  ) {}

  get size(): number {
    return this.byTopic.size;
  }

  /** Stores (or, with an empty payload, deletes), evicting the oldest to make room. */
  store(packet: RetainedPacket): void {
    this.delete(packet.topic);
    if (packet.payload.length === 0) return;
    const cost = costOf(packet.topic, packet.payload);
    if (cost > this.limits.maxBytesPerPrefix || cost > this.limits.maxBytes) {
      this.onEvict(packet.topic, "too large");
      return;
    }
    const prefix = prefixOf(packet.topic);
    let p = this.prefixes.get(prefix);
    if (!p) this.prefixes.set(prefix, (p = { bytes: 0, topics: new Set() }));
    // Set iteration order is insertion order, so the first topic is the prefix's oldest
    while (p.bytes + cost > this.limits.maxBytesPerPrefix) {
      const oldest = p.topics.values().next().value as string;
      this.delete(oldest);
      this.onEvict(oldest, "prefix budget");
    }
    while (this.bytes + cost > this.limits.maxBytes) {
      const oldest = this.byTopic.keys().next().value as string;
      this.delete(oldest);
      this.onEvict(oldest, "total budget");
    }
    this.byTopic.set(packet.topic, packet);
    p.topics.add(packet.topic);
    p.bytes += cost;
    this.prefixes.set(prefix, p);
    this.bytes += cost;
  }

  delete(topic: string): boolean {
    const old = this.byTopic.get(topic);
    if (!old) return false;
    this.byTopic.delete(topic);
    const cost = costOf(topic, old.payload);
    this.bytes -= cost;
    const prefix = prefixOf(topic);
    const p = this.prefixes.get(prefix)!;
    p.bytes -= cost;
    p.topics.delete(topic);
    if (p.topics.size === 0) this.prefixes.delete(prefix);
    return true;
  }

  get(topic: string): RetainedPacket | undefined {
    return this.byTopic.get(topic);
  }

  all(): IterableIterator<RetainedPacket> {
    return this.byTopic.values();
  }

  /** Every retained message matching any of the subscription patterns, each once. */
  *matching(patterns: string[]): Generator<RetainedPacket> {
    for (const [topic, packet] of this.byTopic)
      if (patterns.some((p) => matches(p, topic))) yield packet;
  }
}
