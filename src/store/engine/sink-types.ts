/**
 * The sinks', alerts' and notifications' operations beyond IngestOps (issue #16: every write of
 * the consumers role through the engine). The locking ones matter on PostgreSQL, where several
 * `--role consumers` processes write at once: what they lock is held until the transaction ends,
 * so another process's transaction touching the same rule, people or alert waits and then reads
 * what this one committed. On SQLite a transaction already holds the file's write lock
 * (`BEGIN IMMEDIATE`), so they are plain reads there.
 */
import type { GroupKey } from "../alert-list.ts";
import type { PersonState } from "../presence.ts";
import type { NewReading } from "../readings.ts";
import type { StoredRule } from "../rooms.ts";

export interface RoomSample {
  ts: number;
  temperature: number | null;
  humidity: number | null;
}

export interface SinkOps {
  readingBatch: {
    /** a batch of readings in one statement; for each row, whether it is new (else stored before) */
    insert(rows: NewReading[]): Promise<boolean[]>;
  };
  roomState: {
    /** one room's rules as stored now, locked for this transaction */
    rulesOf(roomNo: number): Promise<StoredRule[]>;
    /** a room's readings within `windowMs` of its newest, oldest first (a rebuilt rule window) */
    recentReadings(roomNo: number, windowMs: number): Promise<RoomSample[]>;
  };
  peopleState: {
    /** every person as stored now, locked for this transaction (even those not stored yet) */
    lock(): Promise<PersonState[]>;
  };
  alertState: {
    /** holds the (kind, subject) for this transaction: one open alert per pair, whoever raises */
    lock(kind: string, subject: string): Promise<void>;
  };
  alertBulk: {
    /** acknowledges or clears these alerts (those not past it already); the ids changed */
    byIds(ids: number[], to: "acknowledged" | "cleared", now: number): Promise<number[]>;
    byGroups(groups: GroupKey[], to: "acknowledged" | "cleared", now: number): Promise<number[]>;
  };
  outbox: {
    /** events now on Kafka (and events whose alert is gone) */
    done(ids: number[]): Promise<void>;
    /** forgets events whose alert was deleted */
    orphans(): Promise<void>;
  };
}
