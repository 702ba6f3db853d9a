/**
 * Which image rows go, and their removal; the files are removed by the caller first
 * (src/lifecycle/images.ts), so a crash between the two leaves rows whose files are gone — found
 * and finished by the next pass — never files no row names.
 */
import type { Db } from "./db.ts";

export interface ImageVictim {
  id: number;
  path: string;
  bytes: number;
}

/** Up to `limit` images of one device taken at or before the cut-off. */
export function oldImages(db: Db, deviceId: string, cutoff: number, limit: number): ImageVictim[] {
  return db.$client
    .query<ImageVictim, [string, number, number]>(
      "SELECT id, path, bytes FROM images WHERE device_id = ? AND ts <= ? LIMIT ?",
    )
    .all(deviceId, cutoff, limit);
}

/** The bytes of all stored images, as their rows count them. */
export function imageBytes(db: Db): number {
  return (
    db.$client.query<{ b: number | null }, []>("SELECT sum(bytes) AS b FROM images").get()?.b ?? 0
  );
}

/**
 * The oldest images (by time taken, then id) whose removal brings the total to `capBytes` or
 * under, at most `limit` of them.
 */
export function imagesOverCap(db: Db, capBytes: number, limit: number): ImageVictim[] {
  let excess = imageBytes(db) - capBytes;
  if (excess <= 0) return [];
  const out: ImageVictim[] = [];
  const oldest = db.$client
    .query<ImageVictim, [number]>("SELECT id, path, bytes FROM images ORDER BY ts, id LIMIT ?")
    .all(limit);
  for (const v of oldest) {
    if (excess <= 0) break;
    out.push(v);
    excess -= v.bytes;
  }
  return out;
}

export function deleteImageRows(db: Db, ids: number[]): number {
  if (ids.length === 0) return 0;
  const sqlite = db.$client;
  const del = sqlite.prepare("DELETE FROM images WHERE id = ?");
  return sqlite.transaction(() => ids.reduce((n, id) => n + del.run(id).changes, 0)).immediate();
}
