/**
 * Chaos: the disk fills up under load. Writes must be refused cleanly (no PUBACK, 503, an
 * alert), nothing may be corrupted, and everything must resume when space returns: every
 * acknowledged reading stored exactly once, also after a restart on the same data dir.
 *
 * Standalone: `bun bench/chaos/disk-full.ts [--quick]` prints the result JSON. Needs root (it
 * mounts a 48 MiB tmpfs, always unmounted at the end).
 */
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";
import { runDiskFull } from "./disk-full-run.ts";

export const diskFull: Scenario = {
  name: "disk-full",
  description:
    "the data dir's disk fills during an MQTT QoS 1 load: writes refused with an alert, no corruption, everything acknowledged stored once after space returns and after a restart",
  async run(opts: ScenarioOptions): Promise<ScenarioResult> {
    const started = Date.now();
    const base = { name: diskFull.name, sent: 0, acknowledged: 0, stored: 0, lost: 0 };
    let r;
    try {
      r = await runDiskFull(opts);
    } catch (e) {
      return {
        ...base,
        duplicated: 0,
        pass: false,
        notes: [`failed: ${(e as Error).message}`],
        durationMs: Date.now() - started,
      };
    }
    if (!r) {
      return {
        ...base,
        duplicated: 0,
        pass: false,
        notes: [],
        durationMs: Date.now() - started,
        skipped: "cannot mount a tmpfs here (needs root)",
      };
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const notes = [
      `alert seen ${s(r.timings.alertSeenMs)} after the disk dropped under the watermark: ${r.alert?.severity} "${r.alert?.message}"`,
      `writes refused for ${s(r.timings.refusedMs)} (health: ${JSON.stringify(r.healthWhileFull?.detail?.refusing ?? {})}); ${r.ackedWhileFull} PUBACKs meanwhile, ${r.reconnects} publisher reconnects (a refused publish closes the connection unacknowledged)`,
      `collector while full: HTTP ${r.collectorWhileFull?.status} "${r.collectorWhileFull?.message}"`,
      `recovered ${s(r.timings.recoveredMs)} after space returned (health up, alert cleared: ${r.alertClearedAfterRecovery}); publishing resumed`,
      `restart on the same dir: ${r.restartTruncations.length} log tail cut(s) reported`,
    ];
    const pass =
      r.lost === 0 &&
      r.duplicated === 0 &&
      r.alert !== null &&
      r.collectorWhileFull?.status === 503 &&
      r.alertClearedAfterRecovery &&
      r.restartTruncations.length === 0;
    return {
      name: diskFull.name,
      sent: r.sent,
      acknowledged: r.acknowledged,
      stored: r.stored,
      lost: r.lost,
      duplicated: r.duplicated,
      pass,
      notes,
      durationMs: r.durationMs,
    };
  },
};

if (import.meta.main) {
  const quick = process.argv.includes("--quick");
  const result = await diskFull.run({ quick, log: (l) => console.error(l) });
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.pass ? 0 : 1);
}
