/**
 * The SQLite engine: the synchronous store modules behind the async face. SQLite has one
 * connection, shared with the callers still on the synchronous path, so:
 * - every transaction and read holds a mutex (never two interleaved on the connection);
 * - a transaction must finish within one turn of the event loop: its body may await the
 *   store's operations (which settle at once), nothing that waits on I/O. Otherwise a
 *   synchronous caller could run in the gap and its writes would land inside this transaction.
 *   A body that crosses a turn is rolled back with an error saying so.
 */
import type { Db } from "../db.ts";
import { alertRows } from "../alerts.ts";
import { binRows } from "../bins.ts";
import { deviceRows } from "../devices.ts";
import { imageRows } from "../images.ts";
import { presenceRows } from "../presence.ts";
import { queries } from "../queries.ts";
import { readingRows } from "../readings.ts";
import { roomRows } from "../rooms.ts";
import { devicePositionRows } from "../device-positions.ts";
import { notifyRows } from "../notify.ts";
import { sessionRows, tokenRows } from "../tokens.ts";
import { seriesOf, type SeriesRange, type SeriesSource } from "../series.ts";
import { Mutex } from "./mutex.ts";
import { sqliteSinkOps } from "./sqlite-sinks.ts";
import { sqliteDeliveryOps } from "./sqlite-delivery.ts";
import { sqliteApiOps } from "./sqlite-api.ts";
import { sqliteLifecycleStore } from "./sqlite-lifecycle.ts";
import { sqliteConsoleOps } from "./sqlite-console.ts";
import type { StoreEngine, StoreOps } from "./types.ts";

/** wraps each method of a synchronous module so it answers a promise */
function asyncOf<T extends object>(
  sync: T,
): { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : never } {
  return Object.fromEntries(
    Object.entries(sync).map(([k, f]) => [
      k,
      (...args: unknown[]) => Promise.resolve((f as (...a: unknown[]) => unknown)(...args)),
    ]),
  ) as never;
}

function sqliteOps(db: Db): StoreOps {
  const q = queries(db);
  const pick = <K extends keyof typeof q>(...keys: K[]) =>
    Object.fromEntries(keys.map((k) => [k, q[k]])) as Pick<typeof q, K>;
  const devices = deviceRows(db);
  const rooms = roomRows(db);
  const notify = notifyRows(db);
  return {
    ...sqliteSinkOps(db),
    ...sqliteDeliveryOps(db),
    ...sqliteApiOps(db),
    ...sqliteConsoleOps(db),
    readings: asyncOf(readingRows(db)),
    images: asyncOf(imageRows(db)),
    bins: asyncOf(binRows(db)),
    presence: asyncOf(presenceRows(db)),
    rooms: asyncOf({
      ...rooms,
      // the rule as the face names it (without its updated_at)
      rules: () =>
        rooms.rules().map(({ roomNo, scheduleId, condition, state }) => ({
          roomNo,
          scheduleId,
          condition,
          state,
        })),
    }),
    positions: asyncOf(devicePositionRows(db)),
    notify: asyncOf({ enqueue: notify.enqueue, pending: notify.pending }),
    devices: asyncOf({ touch: devices.touch, report: devices.report, desire: devices.desire }),
    alerts: asyncOf(alertRows(db)),
    tokens: asyncOf({
      insert: (row: Parameters<typeof tokenRows.insert>[1]) => tokenRows.insert(db, row),
      ofKind: (kind: Parameters<typeof tokenRows.ofKind>[1], subject?: string) =>
        tokenRows.ofKind(db, kind, subject),
      list: () => tokenRows.list(db),
      delete: (id: string) => tokenRows.delete(db, id),
    }),
    sessions: asyncOf({
      insert: (row: Parameters<typeof sessionRows.insert>[1], now: number) =>
        sessionRows.insert(db, row, now),
      live: (hash: string, now: number) => sessionRows.live(db, hash, now),
      extend: (hash: string, expiresAt: number) => sessionRows.extend(db, hash, expiresAt),
      delete: (hash: string) => sessionRows.delete(db, hash),
    }),
    queries: asyncOf({
      series: (source: SeriesSource, range: SeriesRange) => seriesOf(db, source, range),
      ...pick(
        "readings",
        "latestReadings",
        "devices",
        "rooms",
        "roomHistory",
        "latestBins",
        "alerts",
      ),
    }),
  };
}

export class TransactionCrossedTurn extends Error {
  constructor() {
    super(
      "a SQLite store transaction awaited something other than the store (it must finish in one turn of the event loop); rolled back",
    );
  }
}

export function sqliteEngine(db: Db, close: () => void = () => {}): StoreEngine {
  const sqlite = db.$client;
  const ops = sqliteOps(db);
  const mutex = new Mutex();
  // prepared once: `run(text)` compiles the text at every call; an empty transaction measured
  // ~25 µs of CPU that way and 1-4 µs less prepared (the readings sink commits ~100 times a second)
  const begin = sqlite.prepare("BEGIN IMMEDIATE");
  const commit = sqlite.prepare("COMMIT");
  const rollback = sqlite.prepare("ROLLBACK");
  return {
    dialect: "sqlite",
    lifecycle: sqliteLifecycleStore(db),
    transaction: (fn) =>
      mutex.run(async () => {
        let crossed = false;
        const turn = setImmediate(() => (crossed = true));
        begin.run();
        try {
          const result = await fn(ops);
          if (crossed) throw new TransactionCrossedTurn();
          commit.run();
          return result;
        } catch (e) {
          if (sqlite.inTransaction) rollback.run();
          throw e;
        } finally {
          clearImmediate(turn);
        }
      }),
    read: (fn) => mutex.run(() => fn(ops)),
    close: async () => mutex.run(async () => close()),
  };
}
