/**
 * The "consumer" protocol's member metadata and assignments in kafkajs's RoundRobinAssigner
 * format (version 0: int16 version, [string topic], bytes userData; assignment: int16 version,
 * [string topic, [int32 partition]], bytes userData) — so in-process members and kafkajs
 * members over TCP share one group, whichever of them leads it.
 */
export const ASSIGNER = "RoundRobinAssigner";

class Writer {
  private parts: Buffer[] = [];
  int16(v: number) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  int32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  string(s: string) {
    const b = Buffer.from(s);
    this.int16(b.length);
    this.parts.push(b);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  canRead(n: number) {
    return this.at + n <= this.b.length;
  }
  int16() {
    const v = this.b.readInt16BE(this.at);
    this.at += 2;
    return v;
  }
  int32() {
    const v = this.b.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  string() {
    const n = this.int16();
    const s = this.b.toString("utf8", this.at, this.at + n);
    this.at += n;
    return s;
  }
}

const buffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.length);

export function encodeMemberMetadata(topics: string[]): Buffer {
  const w = new Writer().int16(0).int32(topics.length);
  for (const t of topics) w.string(t);
  return w.int32(0).done();
}

export function decodeMemberMetadata(bytes: Uint8Array): string[] {
  const r = new Reader(buffer(bytes));
  if (!r.canRead(6)) return [];
  r.int16();
  return Array.from({ length: r.int32() }, () => r.string());
}

export type Assignment = Array<{ topic: string; partition: number }>;

export function encodeAssignment(assigned: Assignment): Buffer {
  const byTopic = Map.groupBy(assigned, (a) => a.topic);
  const w = new Writer().int16(0).int32(byTopic.size);
  for (const [topic, list] of byTopic) {
    w.string(topic).int32(list.length);
    for (const a of list) w.int32(a.partition);
  }
  return w.int32(0).done();
}

/** An empty buffer (a member the leader gave nothing) is no partitions. */
export function decodeAssignment(bytes: Uint8Array): Assignment {
  const r = new Reader(buffer(bytes));
  if (!r.canRead(6)) return [];
  r.int16();
  const out: Assignment = [];
  const topics = r.int32();
  for (let i = 0; i < topics; i++) {
    const topic = r.string();
    const n = r.int32();
    for (let j = 0; j < n; j++) out.push({ topic, partition: r.int32() });
  }
  return out;
}

/**
 * The leader's round robin, as kafkajs's: members sorted by id, every partition of every
 * subscribed topic dealt in turn (to the members subscribed to its topic).
 */
export function assignRoundRobin(
  members: Array<{ memberId: string; metadata: Uint8Array }>,
  partitionsOf: (topic: string) => number,
): Array<{ memberId: string; assignment: Buffer }> {
  const subscribed = new Map(members.map((m) => [m.memberId, decodeMemberMetadata(m.metadata)]));
  const ids = [...subscribed.keys()].sort();
  const topics = [...new Set([...subscribed.values()].flat())].sort();
  const out = new Map<string, Assignment>(ids.map((id) => [id, []]));
  let turn = 0;
  for (const topic of topics) {
    const takers = ids.filter((id) => subscribed.get(id)!.includes(topic));
    for (let partition = 0; partition < partitionsOf(topic); partition++) {
      out.get(takers[turn++ % takers.length]!)!.push({ topic, partition });
    }
  }
  return [...out].map(([memberId, a]) => ({ memberId, assignment: encodeAssignment(a) }));
}
