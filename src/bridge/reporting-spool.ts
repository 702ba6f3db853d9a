/**
 * The spool, telling the disk watch when its appends are refused (disk full) and when they
 * succeed again. Kept apart from the spool itself: reporting is serve's concern.
 */
import { isDiskError } from "../core/disk/errors.ts";
import type { DiskReporter } from "../disk/reporter.ts";
import type { KafkaRecord } from "./mapping.ts";
import { Spool } from "./spool.ts";

export class ReportingSpool extends Spool {
  constructor(
    dataDir: string,
    maxBytes: number,
    private readonly disk: DiskReporter,
  ) {
    super(dataDir, maxBytes);
  }

  override append(records: readonly KafkaRecord[]): ReturnType<Spool["append"]> {
    try {
      const where = super.append(records);
      this.disk.accepted("bridge-spool");
      return where;
    } catch (e) {
      if (isDiskError(e)) this.disk.refused("bridge-spool", e);
      throw e;
    }
  }
}
