/** Committed consumer-group offsets: the next offset to consume, per group/topic/partition. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

/**
 * `sync: false`: written (it survives the process) but not fsynced — for a committer that loses
 * nothing when a power cut takes its last commits back (it handles the records again and its
 * writes are idempotent: the embedded sinks). A later synced commit syncs it too.
 */
export interface CommitOptions {
  sync?: boolean;
}

export interface OffsetStore {
  /** Durable when the promise resolves (unless `sync: false`). */
  commit(groupId: string, entries: CommittedOffset[], opts?: CommitOptions): Promise<void>;
  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined;
  /** every committed offset of a group */
  list(groupId: string): CommittedOffset[];
  groups(): string[];
  deleteTopic(topic: string): Promise<void>;
  close(): void;
}

export const offsetKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Offsets in memory only: for tests and throwaway brokers. */
export class MemoryOffsetStore implements OffsetStore {
  protected readonly byGroup = new Map<string, Map<string, CommittedOffset>>();

  async commit(groupId: string, entries: CommittedOffset[], _opts?: CommitOptions): Promise<void> {
    this.apply(groupId, entries);
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(offsetKey(topic, partition));
  }

  list(groupId: string): CommittedOffset[] {
    return [...(this.byGroup.get(groupId)?.values() ?? [])];
  }

  groups(): string[] {
    return [...this.byGroup.keys()];
  }

  async deleteTopic(topic: string): Promise<void> {
    this.dropTopic(topic);
  }

  close(): void {}

  protected apply(groupId: string, entries: CommittedOffset[]): void {
    let offsets = this.byGroup.get(groupId);
    if (!offsets) this.byGroup.set(groupId, (offsets = new Map()));
    for (const e of entries) {
      if (e.offset < 0) offsets.delete(offsetKey(e.topic, e.partition));
      else offsets.set(offsetKey(e.topic, e.partition), { ...e });
    }
  }

  protected dropTopic(topic: string): Array<[string, CommittedOffset[]]> {
    const dropped: Array<[string, CommittedOffset[]]> = [];
    for (const [groupId, offsets] of this.byGroup) {
      const gone = [...offsets.values()].filter((o) => o.topic === topic);
      for (const o of gone) offsets.delete(offsetKey(o.topic, o.partition));
      if (gone.length) dropped.push([groupId, gone]);
    }
    return dropped;
  }
}
