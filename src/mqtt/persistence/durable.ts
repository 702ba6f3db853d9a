/**
 * aedes persistence that survives a restart (and a kill -9): retained messages, the
 * subscriptions of persistent sessions (clean=false, or an MQTT 5 session expiry) and the QoS 1/2
 * packets queued for them, journalled in the data dir (journal.ts). Subscription matching, wills
 * and QoS 2 incoming state are aedes-persistence's in-memory implementation; wills and QoS 2
 * half-handshakes are not kept across restarts.
 *
 * What waits for fsync: a retained message, a SUBSCRIBE of a persistent session, and a packet
 * queued for persistent sessions — those are the promises a PUBACK/SUBACK (or `POST /status`)
 * makes. Plain telemetry (not retained, nobody with a persistent session subscribed) never
 * touches the disk. Message ids assigned and PUBACKs received are written without waiting: a
 * crash can only make a packet be delivered again (QoS 1 is at-least-once anyway).
 *
 * Bounds: retained.ts budgets retained bytes; each session's queue keeps its newest
 * `maxQueuedPerSession` packets.
 */
import MemoryPersistence from "aedes-persistence/asyncPersistence.js";
import { Readable } from "node:stream";
import { Journal, loadJournal } from "./journal.ts";
import { RetainedStore, type EvictReason, type RetainedLimits } from "./retained.ts";

type Sub = { topic: string; qos: number; [k: string]: unknown };
type ClientRef = { id: string };
/** a packet as aedes hands it to the persistence (aedes-packet shape) */
export interface QueuedPacket {
  cmd: string;
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: boolean;
  brokerId: string;
  brokerCounter: number;
  messageId?: number;
  properties?: Record<string, unknown>;
  messageExpiry?: number;
  [k: string]: unknown;
}

/** journal entries: short keys, payloads in base64 */
type Entry =
  | { o: "retain"; k: Encoded }
  | { o: "unretain"; t: string }
  | { o: "sub"; c: string; s: Sub[] }
  | { o: "unsub"; c: string; t: string[] }
  | { o: "clean"; c: string }
  | { o: "queue"; c: string[]; k: Encoded }
  | { o: "sent"; c: string; b: string; n: number; i: number }
  | { o: "replace"; c: string; k: Encoded }
  | { o: "acked"; c: string; i: number };
type Encoded = Record<string, unknown> & { payload: string };

export interface DurableOptions {
  /** the journal's directory; without one the state lives in memory only */
  dir?: string;
  retained: RetainedLimits;
  maxQueuedPerSession: number;
  /** rotate to a new snapshot when the log outgrows max(this, 2 × the snapshot) */
  compactBytes?: number;
  onRetainedEvicted?: (topic: string, reason: EvictReason) => void;
  onQueueDropped?: (clientId: string) => void;
  onError?: (err: unknown) => void;
}

export class DurablePersistence {
  private memory = new MemoryPersistence();
  readonly retained: RetainedStore;
  /** persistent sessions' subscriptions, mirrored for snapshots */
  private subscriptions = new Map<string, Map<string, Sub>>();
  private outgoing = new Map<string, QueuedPacket[]>();
  private journal: Journal | null = null;
  private replaying = false;
  private compactBytes: number;
  queuedPackets = 0;

  constructor(private opts: DurableOptions) {
    this.compactBytes = opts.compactBytes ?? 8 << 20;
    this.retained = new RetainedStore(opts.retained, (topic, reason) => {
      if (!this.replaying) this.write({ o: "unretain", t: topic });
      opts.onRetainedEvicted?.(topic, reason);
    });
  }

  /** aedes calls this (it must be an AsyncFunction) before it accepts a connection */
  async setup(broker: unknown): Promise<void> {
    await this.memory.setup(broker);
    if (!this.opts.dir) return;
    const { entries, generation } = loadJournal<Entry>(this.opts.dir);
    this.replaying = true;
    try {
      for (const e of entries) await this.apply(e);
    } finally {
      this.replaying = false;
    }
    this.journal = new Journal(this.opts.dir, generation);
    await this.journal.rotate(this.capture());
  }

  sessions(): number {
    return this.subscriptions.size;
  }

  // ── retained ──────────────────────────────────────────────────────────────
  async storeRetained(packet: QueuedPacket): Promise<void> {
    const copy = {
      cmd: "publish" as const,
      topic: packet.topic,
      payload: ownBytes(packet.payload),
      qos: packet.qos,
      retain: true,
      ...(packet.properties ? { properties: packet.properties } : {}),
      ...(packet.messageExpiry !== undefined ? { messageExpiry: packet.messageExpiry } : {}),
    };
    if (copy.payload.length === 0) {
      if (this.retained.delete(copy.topic)) await this.write({ o: "unretain", t: copy.topic });
      return;
    }
    this.retained.store(copy);
    // evicted as too large: nothing to write
    if (this.retained.get(copy.topic) === copy)
      await this.write({ o: "retain", k: encode(copy) }, true);
  }

  createRetainedStreamCombi(patterns: string[]): Readable {
    return Readable.from([...this.retained.matching(patterns)]);
  }

  createRetainedStream(pattern: string): Readable {
    return this.createRetainedStreamCombi([pattern]);
  }

  // ── persistent sessions' subscriptions ─────────────────────────────────────
  async addSubscriptions(client: ClientRef, subs: Sub[]): Promise<void> {
    // mirrored first: subscriptionsByTopic asks the matcher whenever this map is not empty
    let mine = this.subscriptions.get(client.id);
    if (!mine) this.subscriptions.set(client.id, (mine = new Map()));
    for (const s of subs) mine.set(s.topic, { ...s });
    await this.memory.addSubscriptions(client, subs);
    await this.write({ o: "sub", c: client.id, s: subs.map((s) => ({ ...s })) }, true);
  }

  async removeSubscriptions(client: ClientRef, topics: string[]): Promise<void> {
    await this.memory.removeSubscriptions(client, topics);
    const mine = this.subscriptions.get(client.id);
    if (!mine) return;
    for (const t of topics) mine.delete(t);
    if (mine.size === 0) this.subscriptions.delete(client.id);
    this.write({ o: "unsub", c: client.id, t: topics });
  }

  async cleanSubscriptions(client: ClientRef): Promise<void> {
    await this.memory.cleanSubscriptions(client);
    // every clean connect lands here: write only when there was a session
    if (!this.subscriptions.delete(client.id)) return;
    this.write({ o: "clean", c: client.id });
  }

  subscriptionsByClient(client: ClientRef) {
    return this.memory.subscriptionsByClient(client);
  }
  /**
   * The persistent sessions' subscriptions matching a topic — aedes asks for every QoS 1/2
   * PUBLISH, to queue it for offline sessions. With no persistent session at all (the usual
   * fleet of clean-session devices) that is nobody, answered without a match.
   */
  subscriptionsByTopic(topic: string): Promise<Array<{ clientId: string; topic: string }>> {
    if (this.subscriptions.size === 0) return Promise.resolve([]);
    return this.memory.subscriptionsByTopic(topic);
  }
  countOffline() {
    return this.memory.countOffline();
  }
  getClientList(topic: string) {
    return this.memory.getClientList(topic);
  }

  // ── packets queued for persistent sessions ────────────────────────────────
  async outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<void> {
    packet = { ...packet, payload: ownBytes(packet.payload) };
    this.enqueue(sub.clientId, packet);
    this.write({ o: "queue", c: [sub.clientId], k: encode(packet) });
  }

  outgoingEnqueueCombi(subs: Array<{ clientId: string }>, packet: QueuedPacket): Promise<void> {
    if (!subs.length) return nothingQueued; // every QoS 1 PUBLISH nobody offline subscribed to
    return this.enqueueForAll(subs, packet);
  }

  private async enqueueForAll(subs: Array<{ clientId: string }>, packet: QueuedPacket) {
    packet = { ...packet, payload: ownBytes(packet.payload) }; // one copy, shared by the queues
    for (const s of subs) this.enqueue(s.clientId, packet);
    await this.write({ o: "queue", c: subs.map((s) => s.clientId), k: encode(packet) }, true);
  }

  /** a message id was given to a queued packet (or a PUBREL replaced it) */
  async outgoingUpdate(client: ClientRef, packet: QueuedPacket): Promise<void> {
    const queue = this.outgoing.get(client.id) ?? [];
    const same = queue.find(
      (q) => q.brokerId === packet.brokerId && q.brokerCounter === packet.brokerCounter,
    );
    if (same) {
      same.messageId = packet.messageId;
      this.write({
        o: "sent",
        c: client.id,
        b: packet.brokerId,
        n: packet.brokerCounter,
        i: packet.messageId!,
      });
      return;
    }
    const i = queue.findIndex((q) => q.messageId === packet.messageId);
    if (i < 0) throw new Error("no such packet");
    queue[i] = packet;
    this.write({ o: "replace", c: client.id, k: encode(packet) });
  }

  /** aedes asks on every PUBACK a client sends, queued for it or not (a clean session's never is) */
  outgoingClearMessageId(
    client: ClientRef,
    packet: { messageId?: number },
  ): Promise<QueuedPacket | undefined> {
    const queue = this.outgoing.get(client.id);
    if (!queue) return nothingCleared;
    const i = queue.findIndex((q) => q.messageId === packet.messageId);
    if (i < 0) return nothingCleared;
    const [cleared] = queue.splice(i, 1);
    this.queuedPackets--;
    if (queue.length === 0) this.outgoing.delete(client.id);
    try {
      this.write({ o: "acked", c: client.id, i: packet.messageId! });
    } catch (e) {
      return Promise.reject(e); // as the async function it was would have
    }
    return Promise.resolve(cleared);
  }

  outgoingStream(client: ClientRef): Readable {
    return Readable.from([...(this.outgoing.get(client.id) ?? [])]);
  }

  // ── not kept across restarts ──────────────────────────────────────────────
  incomingStorePacket(client: ClientRef, packet: unknown) {
    return this.memory.incomingStorePacket(client, packet);
  }
  incomingGetPacket(client: ClientRef, packet: unknown) {
    return this.memory.incomingGetPacket(client, packet);
  }
  /** deleting what is already gone is done (aedes awaits this with only a `finally`) */
  incomingDelPacket(client: ClientRef, packet: unknown) {
    return this.memory.incomingDelPacket(client, packet).catch(() => {});
  }
  putWill(client: ClientRef, packet: unknown) {
    return this.memory.putWill(client, packet);
  }
  getWill(client: ClientRef) {
    return this.memory.getWill(client);
  }
  delWill(client: ClientRef) {
    return this.memory.delWill(client);
  }
  streamWill(brokers?: unknown) {
    return this.memory.streamWill(brokers);
  }

  async destroy(): Promise<void> {
    await this.journal?.close();
    this.journal = null;
    await this.memory.destroy();
  }

  // ── journal ────────────────────────────────────────────────────────────────
  private enqueue(clientId: string, packet: QueuedPacket): void {
    let queue = this.outgoing.get(clientId);
    if (!queue) this.outgoing.set(clientId, (queue = []));
    if (queue.length >= this.opts.maxQueuedPerSession) {
      // the oldest that was never sent: one in flight keeps its place until its PUBACK
      const i = queue.findIndex((q) => q.messageId === undefined);
      queue.splice(i < 0 ? 0 : i, 1);
      this.queuedPackets--;
      if (!this.replaying) this.opts.onQueueDropped?.(clientId);
    }
    queue.push(copyPacket(packet));
    this.queuedPackets++;
  }

  private write(entry: Entry, durable: true): Promise<void>;
  private write(entry: Entry): void;
  private write(entry: Entry, durable = false): Promise<void> | void {
    const j = this.journal;
    if (this.replaying || !j) return;
    const done = durable ? j.append(entry, true) : j.append(entry);
    if (!j.rotating && j.logBytes > Math.max(this.compactBytes, 2 * j.snapshotBytes))
      j.rotate(this.capture()).catch((e) => this.opts.onError?.(e));
    return done;
  }

  private async apply(e: Entry): Promise<void> {
    switch (e.o) {
      case "retain":
        return void this.retained.store(decode(e.k) as never);
      case "unretain":
        return void this.retained.delete(e.t);
      case "sub":
        return this.addSubscriptions({ id: e.c }, e.s);
      case "unsub":
        return this.removeSubscriptions({ id: e.c }, e.t);
      case "clean":
        return this.cleanSubscriptions({ id: e.c });
      case "queue": {
        const packet = decode(e.k);
        for (const c of e.c) this.enqueue(c, packet);
        return;
      }
      case "sent": {
        const q = this.outgoing
          .get(e.c)
          ?.find((p) => p.brokerId === e.b && p.brokerCounter === e.n);
        if (q) q.messageId = e.i;
        return;
      }
      case "replace":
        return this.outgoingUpdate({ id: e.c }, decode(e.k)).catch(() => {});
      case "acked":
        return void (await this.outgoingClearMessageId({ id: e.c }, { messageId: e.i }));
    }
  }

  /** The whole state as entries, in an order that replays to the same state. */
  private capture(): Entry[] {
    const out: Entry[] = [];
    // packets are encoded only as the snapshot is written (toJSON), not all at once here
    for (const p of this.retained.all()) out.push({ o: "retain", k: encodeLater(p) });
    for (const [c, subs] of this.subscriptions) out.push({ o: "sub", c, s: [...subs.values()] });
    for (const [c, queue] of this.outgoing)
      for (const p of queue) {
        out.push({ o: "queue", c: [c], k: encodeLater(p) });
        if (p.messageId !== undefined)
          out.push({ o: "sent", c, b: p.brokerId, n: p.brokerCounter, i: p.messageId });
      }
    return out;
  }
}

const nothingQueued = Promise.resolve();
const nothingCleared = Promise.resolve(undefined);

/** what a queue holds: the packet without a message id (aedes gives one when it sends it) */
function copyPacket(p: QueuedPacket): QueuedPacket {
  const copy: QueuedPacket = {
    cmd: p.cmd ?? "publish",
    brokerId: p.brokerId,
    brokerCounter: p.brokerCounter,
    topic: p.topic,
    payload: p.payload ?? Buffer.alloc(0),
    qos: p.qos ?? 0,
    retain: p.retain ?? false,
    dup: p.dup ?? false,
    messageId: undefined,
  };
  for (const k of ["clientId", "nl", "properties", "messageExpiry"])
    if (Object.hasOwn(p, k)) (copy as Record<string, unknown>)[k] = p[k];
  return copy;
}

/**
 * A payload as parsed is a view into the socket's read buffer: kept as it is, one 20 KB retained
 * message would hold on to the whole chunk it arrived in. Kept messages get their own bytes.
 */
export function ownBytes(b: Buffer): Buffer {
  if (b.byteLength === b.buffer.byteLength) return b;
  const own = Buffer.allocUnsafeSlow(b.length);
  b.copy(own);
  return own;
}

function encode(p: { payload: Buffer } & Record<string, unknown>): Encoded {
  return { ...p, payload: p.payload.toString("base64") };
}

function encodeLater(p: { payload: Buffer }): Encoded {
  return { toJSON: () => encode(p) } as unknown as Encoded;
}

function decode(e: Encoded): QueuedPacket {
  const p = { ...e, payload: Buffer.from(e.payload, "base64") } as unknown as QueuedPacket;
  if (p.properties) p.properties = reviveBuffers(p.properties) as Record<string, unknown>;
  return p;
}

/** JSON turns a Buffer (MQTT 5 correlation data) into {type:"Buffer",data:[…]}: turn it back */
function reviveBuffers(v: unknown): unknown {
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o.type === "Buffer" && Array.isArray(o.data)) return Buffer.from(o.data as number[]);
  if (Array.isArray(v)) return v.map(reviveBuffers);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, reviveBuffers(x)]));
}
