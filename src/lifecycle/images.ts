/** Image retention: the file first, then its row (see src/store/image-prune.ts for why). */
import { unlinkSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import type { LifecycleStore } from "../store/engine/lifecycle-types.ts";
import type { ImageVictim } from "../store/image-prune.ts";

/**
 * Where a stored image path lives in this data dir: as stored when inside its images dir;
 * else (a data dir moved by hand) the same device folder and file name under it — never a path
 * outside the images dir.
 */
export function localImagePath(dataDir: string, stored: string): string {
  const root = resolve(dataDir, "images");
  const path = resolve(stored);
  if (path.startsWith(root + sep)) return path;
  return join(root, basename(dirname(path)), basename(path));
}

/** Removes the images' files (a missing one is fine) and then their rows; bytes of files removed. */
export async function removeImages(
  store: LifecycleStore,
  dataDir: string,
  victims: ImageVictim[],
): Promise<number> {
  let bytes = 0;
  for (const v of victims) {
    try {
      unlinkSync(localImagePath(dataDir, v.path));
      bytes += v.bytes;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  await store.deleteImageRows(victims.map((v) => v.id));
  return bytes;
}
