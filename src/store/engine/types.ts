/**
 * The store's async face, one for both engines (SQLite in the data dir, PostgreSQL with
 * `--database-url`). Callers ask for a transaction or a read and get the domain's operations
 * bound to it; they never see a driver or a dialect. The operations mirror the synchronous
 * modules beside them (readings.ts → `readings`, devices.ts → `devices`, …) so a caller moves
 * from `readingRows(db).insert(row)` to `await tx.readings.insert(row)` and nothing else.
 * contract.test.ts runs every operation here against both engines.
 */
import type { AlertRecord, Severity } from "../alerts.ts";
import type { NewBin } from "../bins.ts";
import type { DeviceReport } from "../devices.ts";
import type { NewImage } from "../images.ts";
import type { NewEntranceEvent, PersonState } from "../presence.ts";
import type {
  AlertRow,
  BinLevelRow,
  DeviceRow,
  LatestReadingRow,
  RoomRow,
  RoomSampleRow,
} from "../queries.ts";
import type { NewReading } from "../readings.ts";
import type { NewRoomReading, StoredRule } from "../rooms.ts";
import type { Position } from "../device-positions.ts";
import type { AlertEventKind, OutboxEvent } from "../notify.ts";
import type { SourceKey } from "../source.ts";
import type { Series, SeriesRange, SeriesSource } from "../series.ts";
import type { SessionRecord, TokenRecord } from "../tokens.ts";
import type { BatchIngestOps } from "./batch-types.ts";

/** The sinks' writes: each insert is idempotent on the record's source key and its msg_id. */
export interface IngestOps {
  readings: {
    /** false: this record (or this device's msg_id) was stored before */
    insert(row: NewReading): Promise<boolean>;
  };
  images: {
    /** the new row's id, or undefined when stored before */
    insert(row: NewImage): Promise<number | undefined>;
    /** the path of the row a duplicate collided with */
    storedPath(src: SourceKey, deviceId: string, msgId: string | null): Promise<string | undefined>;
  };
  bins: { insert(row: NewBin): Promise<boolean> };
  presence: {
    insertEvent(e: NewEntranceEvent): Promise<boolean>;
    people(): Promise<PersonState[]>;
    savePerson(person: PersonState): Promise<void>;
  };
  rooms: {
    /** stores the reading and makes it the room's latest; false when stored before */
    insertReading(r: NewRoomReading): Promise<boolean>;
    rules(): Promise<StoredRule[]>;
    /** a new rule starts in its state; an existing one keeps its state, takes the condition */
    saveRule(r: StoredRule, now: number): Promise<void>;
    setRuleState(
      r: { roomNo: number; scheduleId: number },
      state: "ok" | "alert",
      now: number,
    ): Promise<void>;
    deleteRule(r: { roomNo: number; scheduleId: number }): Promise<void>;
  };
  positions: {
    /** adds a position and forgets those older than the device's newest `TRAIL_LENGTH` */
    add(deviceId: string, p: Position): Promise<void>;
    /** each device's trail, oldest first (all devices when `ids` is left out) */
    trails(ids?: string[]): Promise<Map<string, Position[]>>;
  };
  notify: {
    /** an alert's event for the relay, in the alert's own transaction */
    enqueue(alertId: number, event: AlertEventKind, at: number): Promise<void>;
    /** the oldest events waiting, with their alert's words */
    pending(limit: number): Promise<OutboxEvent[]>;
  };
  devices: {
    /** every record from a device: last seen is the later of the stored one and `ts` */
    touch(id: string, ts: number): Promise<void>;
    /** a device's own report; position and status kept when the report leaves them out */
    report(d: DeviceReport): Promise<void>;
    desire(id: string, status: string): Promise<void>;
  };
  alerts: {
    active(kind: string, subject: string): Promise<AlertRecord | undefined>;
    open(
      kind: string,
      subject: string,
      message: string,
      severity: Severity,
      now: number,
    ): Promise<number>;
    clear(id: number, now: number): Promise<void>;
    setState(
      id: number,
      state: "acknowledged" | "cleared",
      now: number,
    ): Promise<AlertRecord | undefined>;
  };
}

/** The JSON API's and the dashboard's main reads (src/store/queries.ts), rows as they render. */
export interface ReadOps {
  queries: {
    readings(
      deviceId: string | undefined,
      limit: number,
    ): Promise<
      Array<{
        id: number;
        device_id: string;
        ts: number;
        temperature: number | null;
        humidity: number | null;
        msg_id: string | null;
      }>
    >;
    latestReadings(): Promise<LatestReadingRow[]>;
    devices(): Promise<DeviceRow[]>;
    rooms(): Promise<RoomRow[]>;
    roomHistory(roomNo: number, since: number): Promise<RoomSampleRow[]>;
    latestBins(): Promise<BinLevelRow[]>;
    /**
     * A chart's min / mean / max per bucket (src/store/series.ts). On PostgreSQL over raw rows
     * only for now: a range reaching before the pruned point (roll-ups) is refused there.
     */
    series(source: SeriesSource, range: SeriesRange): Promise<Series>;
    alerts(
      state: "open" | "acknowledged" | "cleared" | "active" | undefined,
      limit: number,
    ): Promise<AlertRow[]>;
  };
}

/** Access tokens (hashes only) and dashboard sessions (src/store/tokens.ts). */
export interface AuthOps {
  tokens: {
    insert(row: TokenRecord): Promise<void>;
    ofKind(kind: TokenRecord["kind"], subject?: string): Promise<TokenRecord[]>;
    list(): Promise<Array<Omit<TokenRecord, "hash">>>;
    /** deletes the token and with it its sessions; whether there was one */
    delete(id: string): Promise<boolean>;
  };
  sessions: {
    /** adds a session, dropping those expired before `now` */
    insert(row: SessionRecord, now: number): Promise<void>;
    /** the session unexpired at `now` whose token is still an HTTP token, with its role */
    live(
      hash: string,
      now: number,
    ): Promise<
      { hash: string; createdAt: number; expiresAt: number; role: TokenRecord["role"] } | undefined
    >;
    extend(hash: string, expiresAt: number): Promise<void>;
    delete(hash: string): Promise<void>;
  };
}

export type StoreOps = IngestOps & ReadOps & AuthOps & BatchIngestOps;

export interface StoreEngine {
  readonly dialect: "sqlite" | "postgres";
  /**
   * Runs `fn` as one transaction: all its writes land, or none (it throws, they are rolled
   * back). On SQLite, transactions run one at a time on the one connection, and `fn` may await
   * only the store's operations (see sqlite.ts); on PostgreSQL each holds a pooled connection.
   */
  transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T>;
  /** Reads outside a transaction (each statement sees committed data). */
  read<T>(fn: (q: ReadOps) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
