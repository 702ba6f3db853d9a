/** The JSON API's ops on SQLite: the synchronous modules (queries.ts, history.ts, …) as they are. */
import { deviceCommandRows, type DeviceCommand } from "../device-commands.ts";
import type { Db } from "../db.ts";
import { alertBulk, countAlerts } from "../alert-list.ts";
import { deviceRows } from "../devices.ts";
import { historyPage } from "../history.ts";
import { notifyRows } from "../notify.ts";
import { queries } from "../queries.ts";
import { sessionRows, tokenRows, type TokenRecord } from "../tokens.ts";
import type { ApiReadOps, ApiWriteOps } from "./api-types.ts";

export function sqliteApiOps(db: Db): ApiReadOps & ApiWriteOps {
  const q = queries(db);
  const devices = deviceRows(db);
  const bulk = alertBulk(db);
  const notify = notifyRows(db);
  const later =
    <A extends unknown[], R>(f: (...a: A) => R) =>
    (...a: A) =>
      Promise.resolve(f(...a));
  return {
    authReads: {
      tokensOfKind: later((kind: TokenRecord["kind"], subject?: string) =>
        tokenRows.ofKind(db, kind, subject),
      ),
      tokenList: later(() => tokenRows.list(db)),
      liveSession: later((hash: string, now: number) => sessionRows.live(db, hash, now)),
    },
    api: {
      images: later(q.images),
      imagePath: later(q.imagePath),
      bins: later((limit: number) => q.bins(limit).map((b) => ({ ...b, full: !!b.full }))),
      rules: later(q.rules),
      people: later(q.people),
      alertGroups: later(q.alertGroups),
      countAlerts: later((state?: Parameters<typeof countAlerts>[1]) => countAlerts(db, state)),
      savedNotifySettings: later(() => notify.savedSettings()),
      history: later((query: Parameters<typeof historyPage>[1]) => historyPage(db, query)),
    },
    apiWrites: {
      renameDevice: later(devices.rename),
      removeDevice: later(devices.remove),
      saveNotifySettings: later((text: string, now: number) => notify.saveSettings(text, now)),
      alertsByIds: later(bulk.byIds),
      alertsByGroups: later(bulk.byGroups),
      addCommand: later((c: DeviceCommand) => deviceCommandRows(db).add(c)),
    },
  };
}
