/**
 * Reading the store at the end of a scenario: the SQLite file in the data dir, opened read-only
 * with bun:sqlite, and the counts a scenario reports. A message is identified by its `msg_id`
 * when the readings table has that column (and every row of ours carries one), else by
 * (device_id, ts) — each scenario makes ts unique per device, so both identify a message.
 */
import { Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface StoredReading {
  id: number;
  deviceId: string;
  ts: number;
  msgId: string | null;
  partition: number | null;
  offset: number | null;
}

export interface Readings {
  rows: StoredReading[];
  hasMsgIdColumn: boolean;
}

/** Readings of devices whose id starts with `prefix`, in row (= arrival) order. */
export function readReadings(dataDir: string, prefix: string): Readings {
  const path = join(dataDir, "iot.db");
  if (!existsSync(path)) return { rows: [], hasMsgIdColumn: false };
  const db = new Database(path, { readonly: true });
  try {
    db.run("PRAGMA busy_timeout = 5000");
    const cols = db.query("PRAGMA table_info(readings)").all() as Array<{ name: string }>;
    const hasMsgIdColumn = cols.some((c) => c.name === "msg_id");
    const rows = db
      .query(
        `SELECT id, device_id AS deviceId, ts, ${hasMsgIdColumn ? "msg_id" : "NULL"} AS msgId,
                src_partition AS partition, src_offset AS offset
           FROM readings WHERE device_id >= ?1 AND device_id < ?2 ORDER BY id`,
      )
      .all(prefix, prefix + "\uffff") as StoredReading[];
    return { rows, hasMsgIdColumn };
  } finally {
    db.close();
  }
}

export interface Identified {
  msgId: string;
  deviceId: string;
  ts: number;
}

export interface Counts {
  sent: number;
  acknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  /** what identified a message: "msg_id" or "(device_id, ts)" */
  basis: string;
  /** stored rows of unacknowledged messages (PUBACK lost to the fault) */
  storedUnacked: number;
  /** stored rows that match no message sent */
  unknown: number;
  /** a few lost message ids and duplicated keys, for the notes */
  examples: { lost: string[]; duplicated: string[] };
  /** the msg_id of every message stored more than once */
  duplicatedMsgIds: string[];
}

export function countStored(
  sent: Map<string, Identified>,
  acked: Map<string, Identified>,
  store: Readings,
): Counts {
  const byMsgId = store.hasMsgIdColumn && store.rows.every((r) => r.msgId !== null);
  const basis = byMsgId ? "msg_id" : "(device_id, ts)";
  const keyOfRow = (r: StoredReading) => (byMsgId ? r.msgId! : `${r.deviceId}@${r.ts}`);
  const keyOfMsg = (m: Identified) => (byMsgId ? m.msgId : `${m.deviceId}@${m.ts}`);
  const copies = new Map<string, number>();
  const where = new Map<string, string[]>();
  for (const r of store.rows) {
    const k = keyOfRow(r);
    copies.set(k, (copies.get(k) ?? 0) + 1);
    where.set(k, [...(where.get(k) ?? []), `p${r.partition}@${r.offset}`]);
  }
  const msgIdOfKey = new Map([...sent.values()].map((m) => [keyOfMsg(m), m.msgId]));
  const sentKeys = new Set(msgIdOfKey.keys());
  const ackedKeys = new Set([...acked.values()].map(keyOfMsg));
  let stored = 0;
  const lost: string[] = [];
  for (const k of ackedKeys) {
    if (copies.has(k)) stored++;
    else lost.push(k);
  }
  let duplicated = 0;
  let storedUnacked = 0;
  let unknown = 0;
  const dups: string[] = [];
  const duplicatedMsgIds: string[] = [];
  for (const [k, n] of copies) {
    if (n > 1) {
      duplicated += n - 1;
      dups.push(`${k} ×${n} (Kafka ${where.get(k)!.join(", ")})`);
      duplicatedMsgIds.push(msgIdOfKey.get(k) ?? k);
    }
    if (!sentKeys.has(k)) unknown++;
    else if (!ackedKeys.has(k)) storedUnacked++;
  }
  return {
    sent: sent.size,
    acknowledged: acked.size,
    stored,
    lost: lost.length,
    duplicated,
    basis,
    storedUnacked,
    unknown,
    examples: { lost: lost.slice(0, 5), duplicated: dups.slice(0, 5) },
    duplicatedMsgIds,
  };
}

/**
 * Polls the store (read-only, while serve runs) until every acknowledged message is there, then
 * waits `settleMs` more so that late copies (a spool re-send, a redelivery) are seen too.
 */
export async function waitForAllStored(
  dataDir: string,
  prefix: string,
  sent: Map<string, Identified>,
  acked: Map<string, Identified>,
  timeoutMs: number,
  settleMs = 3_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let complete = false;
  while (Date.now() < deadline) {
    if (countStored(sent, acked, readReadings(dataDir, prefix)).lost === 0) {
      complete = true;
      break;
    }
    await Bun.sleep(500);
  }
  await Bun.sleep(settleMs);
  return complete;
}

/** Rows whose ts is lower than the previous row's of the same device (first copies only). */
export function outOfOrder(rows: StoredReading[]): StoredReading[] {
  const last = new Map<string, number>();
  const seen = new Set<string>();
  const out: StoredReading[] = [];
  for (const r of rows) {
    if (seen.has(`${r.deviceId}@${r.ts}`)) continue;
    seen.add(`${r.deviceId}@${r.ts}`);
    if (r.ts < (last.get(r.deviceId) ?? -Infinity)) out.push(r);
    last.set(r.deviceId, Math.max(r.ts, last.get(r.deviceId) ?? -Infinity));
  }
  return out;
}
