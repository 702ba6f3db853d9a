/**
 * A small tmpfs to run out of space on, for disk-full tests (needs root, as in CI's container):
 * `fill()` writes a filler file until the disk refuses, `unfill()` deletes it. Always `unmount()`
 * in a finally/afterAll; `mountTmpfs` returns null where mounting is not allowed.
 */
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statfsSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Tmpfs {
  dir: string;
  /** fills the disk to the last byte, or until `leaveBytes` are free; returns the bytes added */
  fill(leaveBytes?: number): number;
  unfill(): void;
  freeBytes(): number;
  unmount(): void;
}

export function mountTmpfs(sizeMiB: number, prefix = "iot-tmpfs-"): Tmpfs | null {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const r = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", `size=${sizeMiB}m`, "tmpfs", dir]);
  if (r.exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const filler = join(dir, "filler");
  let mounted = true;
  return {
    dir,
    fill(leaveBytes = 0) {
      const fd = openSync(filler, "a");
      let total = 0;
      try {
        if (leaveBytes > 0) {
          let left = this.freeBytes() - leaveBytes;
          const chunk = Buffer.alloc(1 << 20, 0x55);
          while (left > 0) {
            const n = writeSync(fd, chunk, 0, Math.min(chunk.length, left));
            total += n;
            left -= n;
          }
          return total;
        }
        for (const size of [1 << 20, 4096, 1]) {
          const chunk = Buffer.alloc(size, 0x55);
          try {
            for (;;) total += writeSync(fd, chunk);
          } catch (e) {
            if ((e as { code?: string }).code !== "ENOSPC") throw e;
          }
        }
      } finally {
        closeSync(fd);
      }
      return total;
    },
    unfill() {
      try {
        unlinkSync(filler);
      } catch {
        // not filled
      }
    },
    freeBytes() {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    unmount() {
      if (!mounted) return;
      const u = Bun.spawnSync(["umount", "-l", dir]);
      if (u.exitCode !== 0) throw new Error(`umount ${dir}: ${u.stderr.toString()}`);
      mounted = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
