/**
 * The dashboard's reads (src/http/dashboard/views), beyond the shared queries of ReadOps: each
 * page loads its rows through these, then renders. SQLite side: sqlite-console.ts (the synchronous
 * modules); PostgreSQL side: src/store/pg/console.ts. console.contract.test.ts runs each on both.
 */
import type { AlertFilter, AlertPage, AlertState } from "../alert-list.ts";
import type { DeviceCommandRow } from "../device-commands.ts";
import type { BinSample, LatestBinRow, SnapshotRow } from "../device-queries.ts";
import type { Position } from "../device-positions.ts";
import type { EntranceEventRow } from "../console-reads.ts";
import type { DeliveryRow } from "../notify.ts";
import type { AlertRow, DeviceRow, PersonRow, RoomRow, RuleRow } from "../queries.ts";
import type { WindowStats } from "../room-state.ts";
import type { DiskUsage } from "../usage.ts";

/** A room rule's alert not cleared yet (the room pages list them). */
export interface RoomAlertRow {
  id: number;
  subject: string;
  message: string;
  state: AlertState;
  created_at: number;
}

export interface ConsoleReadOps {
  console: {
    /** everyone who badged, by name */
    people(): Promise<PersonRow[]>;
    person(name: string): Promise<PersonRow | undefined>;
    /** a person's events in [from, to), oldest first (at most `limit`) */
    personEvents(
      name: string,
      from: number,
      to: number,
      limit?: number,
    ): Promise<EntranceEventRow[]>;
    /** a person's newest events, newest first; `before`: only earlier than this time */
    recentPersonEvents(name: string, limit: number, before?: number): Promise<EntranceEventRow[]>;

    device(id: string): Promise<DeviceRow | undefined>;
    /** the devices that sent snapshots, by id */
    cameraIds(): Promise<string[]>;
    /** a device's newest snapshots, newest first */
    snapshots(deviceId: string, limit: number): Promise<SnapshotRow[]>;
    /** the status commands sent to a device, newest first */
    commands(deviceId: string, limit: number): Promise<DeviceCommandRow[]>;
    /** how much data a device has (what "delete with its data" removes) */
    dataCounts(id: string): Promise<{ readings: number; images: number }>;
    /**
     * Each device's newest `n` message times (positions, readings, images), newest first: what
     * its usual interval is estimated from. One answer for every device a page lists.
     */
    recentTimes(ids: string[], n?: number): Promise<Map<string, number[]>>;
    /** each device's trail, oldest first */
    trails(ids: string[]): Promise<Map<string, Position[]>>;

    /** each bin's newest level with its time */
    latestBins(): Promise<LatestBinRow[]>;
    /** a bin's newest `limit` levels, oldest first */
    binHistory(binCount: number, limit: number): Promise<BinSample[]>;

    room(roomNo: number): Promise<RoomRow | undefined>;
    /** one room's rules, or every room's */
    rules(roomNo?: number): Promise<RuleRow[]>;
    /** the times of the room's newest `n` readings, newest first */
    roomRecentTimes(roomNo: number, n: number): Promise<number[]>;
    /** min / mean / max over the readings in the `windowMs` up to the room's newest one */
    roomWindow(roomNo: number, windowMs: number): Promise<WindowStats | undefined>;
    /** room rules' alerts not cleared, newest first: one room's, or every room's */
    roomAlerts(roomNo?: number): Promise<RoomAlertRow[]>;

    /** how many alerts are in this state */
    alertCount(state: AlertState): Promise<number>;
    /** the Alerts page: groups of kind+subject+state, open first, filtered and paged */
    alertGroups(filter: AlertFilter, page?: number, size?: number): Promise<AlertPage>;
    /** the kinds ever raised */
    alertKinds(): Promise<string[]>;
    alert(id: number): Promise<AlertRow | undefined>;
    /** every time this kind+subject fired, newest first (at most `limit`), and how many in all */
    alertHistory(
      kind: string,
      subject: string,
      limit?: number,
    ): Promise<{ rows: Array<Omit<AlertRow, "kind" | "subject">>; total: number }>;
    /** an alert's notification deliveries, oldest first */
    deliveries(alertId: number): Promise<DeliveryRow[]>;

    /**
     * The database's size per kind of data, measured now, where that is cheap (PostgreSQL:
     * pg_total_relation_size); undefined on SQLite, whose file the data lifecycle measures in a
     * child process (it reads every page).
     */
    diskUsage(now: number): Promise<DiskUsage | undefined>;
  };
}
