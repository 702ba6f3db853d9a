/**
 * The JSON API's own reads and writes (src/http/routes/api.ts, history.ts, devices.ts) on the
 * store engine: the lists the dashboard does not show, the Alerts page's groups and bulk
 * triage, history pages, and the device page's rename/delete. Same rows on both engines.
 */
import type { DeviceCommand } from "../device-commands.ts";
import type { AlertFilter, AlertPage, AlertState, GroupKey } from "../alert-list.ts";
import type { HistoryPage, HistoryQuery } from "../history.ts";
import type { PersonRow, RuleRow } from "../queries.ts";
import type { TokenRecord } from "../tokens.ts";

export type ImageListRow = {
  id: number;
  device_id: string;
  ts: number;
  bytes: number;
  width: number | null;
  height: number | null;
  msg_id: string | null;
};

export type BinListRow = {
  id: number;
  bin_count: number;
  bin_level: string;
  full: boolean;
  m_time: string;
  ts: number;
};

export interface ApiReadOps {
  /**
   * The logins' reads outside a transaction (on SQLite no write lock is taken for them: a
   * device's login never waits for another process's write)
   */
  authReads: {
    tokensOfKind(kind: TokenRecord["kind"], subject?: string): Promise<TokenRecord[]>;
    tokenList(): Promise<Array<Omit<TokenRecord, "hash">>>;
    /** the session unexpired at `now` whose token is still an HTTP token, with its role */
    liveSession(
      hash: string,
      now: number,
    ): Promise<
      { hash: string; createdAt: number; expiresAt: number; role: TokenRecord["role"] } | undefined
    >;
  };
  api: {
    /** newest first */
    images(deviceId: string | undefined, limit: number): Promise<ImageListRow[]>;
    imagePath(id: number): Promise<string | undefined>;
    /** newest first */
    bins(limit: number): Promise<BinListRow[]>;
    rules(): Promise<RuleRow[]>;
    people(): Promise<PersonRow[]>;
    /** the Alerts page: groups of kind+subject+state, open first, filtered and paged */
    alertGroups(filter: AlertFilter, page?: number, size?: number): Promise<AlertPage>;
    /** how many alerts are in this state ("active": open or acknowledged; none: all) */
    countAlerts(state?: AlertState | "active"): Promise<number>;
    /** one list's rows between two times, a page at a time (src/store/history.ts) */
    history(q: HistoryQuery): Promise<HistoryPage>;
    /** the notification settings the dashboard saved (JSON), if any */
    savedNotifySettings(): Promise<string | undefined>;
  };
}

export interface ApiWriteOps {
  apiWrites: {
    /** the operator's display name (blank clears it); false when there is no such device */
    renameDevice(id: string, name: string | null): Promise<boolean>;
    /** forgets a device (with its data: readings and images rows); the image files to remove */
    removeDevice(
      id: string,
      withData: boolean,
    ): Promise<{ existed: boolean; imagePaths: string[] }>;
    /** acknowledges or clears by id (only those not past it yet); the ids changed */
    alertsByIds(ids: number[], to: "acknowledged" | "cleared", now: number): Promise<number[]>;
    saveNotifySettings(config: string, now: number): Promise<void>;
    /** a status command sent to a device (`POST /status/<id>`), for its page's history */
    addCommand(c: DeviceCommand): Promise<void>;
    /** every member of each group; the ids changed */
    alertsByGroups(
      groups: GroupKey[],
      to: "acknowledged" | "cleared",
      now: number,
    ): Promise<number[]>;
  };
}
