/**
 * A little space held back on the data dir's disk (a 1 MiB file) so that the disk alert can
 * still be written when the disk fills faster than the watermark check runs: the alert frees it
 * just before storing itself, and takes it back when the episode is over.
 */
import { closeSync, fsyncSync, openSync, rmSync, statSync } from "node:fs";
import { appendAll } from "../core/disk/append.ts";

export class SpaceReserve {
  constructor(
    readonly path: string,
    private readonly bytes = 1 << 20,
  ) {}

  /** Creates the file if it is missing; false when the disk has no room for it now. */
  ensure(): boolean {
    try {
      if (statSync(this.path).size === this.bytes) return true;
    } catch {
      // missing
    }
    try {
      const fd = openSync(this.path, "w");
      try {
        appendAll(fd, Buffer.alloc(this.bytes, 0x52), 0, "disk reserve");
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch {
      rmSync(this.path, { force: true });
      return false;
    }
  }

  /** Frees the space; false if there was nothing to free. */
  release(): boolean {
    try {
      statSync(this.path);
    } catch {
      return false;
    }
    rmSync(this.path, { force: true });
    return true;
  }
}
