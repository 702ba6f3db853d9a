/**
 * Every topic-partition log under `<dataDir>/kafka/`: topics are listed in `topics.json`
 * (rewritten atomically), each partition lives in `<topic>-<partition>/`.
 *
 * A topic's name and offsets do not identify its records for ever: a topic deleted and created
 * again starts at offset 0, and a log cut back (a torn tail at recovery, an unsynced tail after
 * a failed fsync) gives its last offsets again. So, as Kafka does, each topic has an id (a UUID
 * given at creation, kept in topics.json) and each batch carries the leader epoch it was
 * appended under. Epochs come from one counter for the whole broker, kept in topics.json and
 * advanced at every start (a new leadership, as a Kafka leader election), every topic creation
 * and every run-time truncation: (topic, partition, epoch, offset) is never given to two records.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode } from "../../protocol/errors.ts";
import { silentLogger, type Logger } from "../../../core/log/index.ts";
import { isDiskError } from "../../../core/disk/errors.ts";
import { ignoreDisk, type DiskReporter } from "../../../disk/reporter.ts";
import type { FsyncPolicy } from "./fsync-policy.ts";
import { defaultLogOptions, PartitionLog } from "./partition-log.ts";
import { invalidTopic, topicNameError, TopicError } from "./topic-name.ts";

export interface LogManagerOptions {
  dataDir: string;
  fsync?: FsyncPolicy;
  /** see PartitionLogOptions.fsyncGatherMs (default 0: no gather) */
  fsyncGatherMs?: number;
  segmentBytes?: number;
  retentionMs?: number;
  retentionBytes?: number;
  /** how often retention (and interval fsync) runs */
  sweepIntervalMs?: number;
  maxPartitions?: number;
  /**
   * partitions across every topic at most (default 2000): each holds two open files and its
   * state in memory, so without a cap any client that may create topics exhausts fds or memory
   */
  maxTotalPartitions?: number;
  log?: Logger;
  /** told when an interval fsync fails */
  disk?: DiskReporter;
}

type AppendListener = (topic: string, partition: number) => void;
/** told when a log was cut back at run time: offsets from `end` on will be given again */
type TruncateListener = (topic: string, partition: number, end: number) => void;

interface SavedTopic {
  partitions: number;
  /** the topic id (Kafka's KIP-516 UUID): new for every creation, kept across restarts */
  id?: string;
}

interface Topic {
  id: string;
  logs: PartitionLog[];
}

export class LogManager {
  readonly dir: string;
  private readonly topicsFile: string;
  private readonly logs = new Map<string, Topic>();
  /** the last leader epoch handed out (see the file's comment) */
  private epoch = 0;
  private readonly listeners = new Set<AppendListener>();
  private readonly truncateListeners = new Set<TruncateListener>();
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly log: Logger;

  constructor(private readonly opts: LogManagerOptions) {
    this.dir = join(opts.dataDir, "kafka");
    this.topicsFile = join(this.dir, "topics.json");
    this.log = opts.log ?? silentLogger;
  }

  /** Reopens (and recovers) every partition listed in topics.json, then starts the sweeps. */
  open(): this {
    mkdirSync(this.dir, { recursive: true });
    const file: { epoch?: number; topics: Record<string, SavedTopic> } = existsSync(this.topicsFile)
      ? JSON.parse(readFileSync(this.topicsFile, "utf8"))
      : { topics: {} };
    // a new leadership: what recovery cuts off below is given again under a new epoch
    this.epoch = (file.epoch ?? 0) + 1;
    for (const [name, { partitions, id }] of Object.entries(file.topics)) {
      this.openTopic(name, partitions, id ?? randomUUID());
    }
    this.saveEpoch();
    const sweep = this.opts.sweepIntervalMs ?? 60_000;
    this.timers.push(setInterval(() => this.enforceRetention(Date.now()), sweep));
    const fsync = this.opts.fsync ?? defaultLogOptions.fsync;
    if (typeof fsync === "number") {
      this.timers.push(setInterval(() => this.syncAll(), fsync));
    }
    for (const t of this.timers) t.unref();
    return this;
  }

  topics(): Array<{ name: string; partitions: number }> {
    return [...this.logs].map(([name, t]) => ({ name, partitions: t.logs.length }));
  }

  /** Partitions across every topic. */
  totalPartitions(): number {
    let n = 0;
    for (const t of this.logs.values()) n += t.logs.length;
    return n;
  }

  /** The topic's id: a new one each time a topic of that name is created. */
  topicId(name: string): string | undefined {
    return this.logs.get(name)?.id;
  }

  hasTopic(name: string): boolean {
    return this.logs.has(name);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(topic)?.logs[partition];
  }

  createTopic(name: string, partitions: number): void {
    const bad = topicNameError(name);
    if (bad) throw invalidTopic(bad);
    if (this.logs.has(name)) {
      throw new TopicError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic '${name}' already exists`);
    }
    const max = this.opts.maxPartitions ?? 1000;
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > max) {
      throw new TopicError(ErrorCode.INVALID_PARTITIONS, `partitions must be 1..${max}`);
    }
    const total = this.totalPartitions();
    const cap = this.opts.maxTotalPartitions ?? 2000;
    if (total + partitions > cap) {
      this.log.warn("topic refused: the broker's partition cap", {
        topic: name,
        partitions,
        total,
        cap,
      });
      throw new TopicError(
        ErrorCode.POLICY_VIOLATION,
        `the broker holds ${total} partitions; ${partitions} more would pass its cap of ${cap}`,
      );
    }
    const id = randomUUID();
    try {
      this.epoch++; // a new incarnation's offsets start at 0 again: never under an old epoch
      this.openTopic(name, partitions, id);
      this.saveTopics();
    } catch (e) {
      // not listed in topics.json = not created: a restart would not find it
      this.logs.get(name)?.logs.forEach((l, p) => {
        l.close();
        rmSync(join(this.dir, `${name}-${p}`), { recursive: true, force: true });
      });
      this.logs.delete(name);
      throw this.storageError(`cannot create topic '${name}'`, e);
    }
    this.log.info("topic created", { topic: name, partitions, id, epoch: this.epoch });
  }

  deleteTopic(name: string): void {
    const topic = this.logs.get(name);
    if (!topic) throw new TopicError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no topic '${name}'`);
    this.logs.delete(name);
    try {
      this.saveTopics();
    } catch (e) {
      this.logs.set(name, topic);
      throw this.storageError(`cannot delete topic '${name}'`, e);
    }
    topic.logs.forEach((l, p) => {
      l.close();
      rmSync(join(this.dir, `${name}-${p}`), { recursive: true, force: true });
    });
    this.log.info("topic deleted", { topic: name, id: topic.id });
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTruncate(listener: TruncateListener): () => void {
    this.truncateListeners.add(listener);
    return () => this.truncateListeners.delete(listener);
  }

  /** Wakes long-polling fetches after an append. */
  notifyAppend(topic: string, partition: number): void {
    for (const l of this.listeners) l(topic, partition);
  }

  /** fdatasync calls the open partition logs made for acknowledged appends (a metric) */
  fsyncCount(): number {
    return this.sumOverLogs((l) => l.fsyncCount);
  }

  /** of which made inline on the event loop's thread (a metric) */
  inlineFsyncCount(): number {
    return this.sumOverLogs((l) => l.inlineFsyncCount);
  }

  private sumOverLogs(count: (log: PartitionLog) => number): number {
    let n = 0;
    this.forEachLog((l) => (n += count(l)));
    return n;
  }

  enforceRetention(now: number): void {
    const ageMs = this.opts.retentionMs ?? -1;
    const bytes = this.opts.retentionBytes ?? -1;
    this.forEachLog((l) => {
      const n = l.enforceRetention(now, ageMs, bytes);
      if (n > 0) this.log.info("retention deleted segments", { dir: l.dir, segments: n });
    });
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.forEachLog((l) => l.close());
    this.logs.clear();
  }

  /** A disk refusal as the error code clients retry; anything else as it is. */
  private storageError(what: string, e: unknown): unknown {
    if (!isDiskError(e)) return e;
    (this.opts.disk ?? ignoreDisk).refused("kafka", e);
    return new TopicError(ErrorCode.KAFKA_STORAGE_ERROR, `${what}: ${(e as Error).message}`);
  }

  /** The interval policy's flush: a failure is reported, never thrown out of the timer. */
  private syncAll(): void {
    const disk = this.opts.disk ?? ignoreDisk;
    this.forEachLog((l) => {
      try {
        if (l.syncNow()) disk.accepted("kafka");
      } catch (e) {
        disk.refused("kafka", e);
      }
    });
  }

  private forEachLog(fn: (l: PartitionLog) => void): void {
    for (const t of this.logs.values()) for (const l of t.logs) fn(l);
  }

  private openTopic(name: string, partitions: number, id: string): void {
    const options = {
      ...defaultLogOptions,
      fsync: this.opts.fsync ?? defaultLogOptions.fsync,
      fsyncGatherMs: this.opts.fsyncGatherMs ?? defaultLogOptions.fsyncGatherMs,
      segmentBytes: this.opts.segmentBytes ?? defaultLogOptions.segmentBytes,
      log: this.log,
      leaderEpoch: this.epoch,
    };
    const logs: PartitionLog[] = Array.from({ length: partitions }, (_, p) =>
      PartitionLog.open(join(this.dir, `${name}-${p}`), {
        ...options,
        nextEpoch: () => {
          const epoch = this.nextEpoch();
          // after the cut: the log's end is where the next records go
          queueMicrotask(() => {
            const end = logs[p]?.highWatermark;
            if (end !== undefined) for (const l of this.truncateListeners) l(name, p, end);
          });
          return epoch;
        },
      }),
    );
    this.logs.set(name, { id, logs });
  }

  /** An epoch for a log cut back at run time; kept if the disk lets us (the next start is later). */
  private nextEpoch(): number {
    this.epoch++;
    this.saveEpoch();
    return this.epoch;
  }

  /** Best effort: a full disk must not stop the broker (records also keep their timestamps). */
  private saveEpoch(): void {
    try {
      this.saveTopics();
    } catch (e) {
      this.log.warn("cannot save the leader epoch", { epoch: this.epoch, err: e });
    }
  }

  private saveTopics(): void {
    const topics = Object.fromEntries(
      [...this.logs].map(([name, t]) => [name, { partitions: t.logs.length, id: t.id }]),
    );
    const tmp = `${this.topicsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ epoch: this.epoch, topics }, null, 2));
    renameSync(tmp, this.topicsFile);
  }
}
