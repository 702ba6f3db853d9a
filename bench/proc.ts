/**
 * Process sampling from /proc (Linux): resident memory from /proc/<pid>/status, CPU time from
 * the utime+stime fields of /proc/<pid>/stat, as the kernel counts them for that one process.
 */
import { readFileSync } from "node:fs";

/** Clock ticks per second of the stat fields; 100 on every Linux architecture iot targets. */
export const CLK_TCK = 100;

export interface ProcSnapshot {
  /** resident set size now, and its high-water mark, in bytes */
  rssBytes: number;
  hwmBytes: number;
  /** user + system CPU time so far, in seconds */
  cpuSeconds: number;
}

/** Parses /proc/<pid>/stat: fields after the parenthesised command name (which may hold spaces). */
export function parseStat(stat: string): { utime: number; stime: number } {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15
  return { utime: Number(rest[11]), stime: Number(rest[12]) };
}

/** A `kB` line of /proc/<pid>/status, in bytes (0 when absent, e.g. a zombie). */
export function statusKb(status: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

export function snapshot(pid: number): ProcSnapshot {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const { utime, stime } = parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  return {
    rssBytes: statusKb(status, "VmRSS"),
    hwmBytes: statusKb(status, "VmHWM"),
    cpuSeconds: (utime + stime) / CLK_TCK,
  };
}

export interface ProcUsage {
  seconds: number;
  rssMeanMB: number;
  rssMaxMB: number;
  rssEndMB: number;
  /** CPU time over wall time, as `top` shows it: 100 = one core busy */
  cpuPercent: number;
}

/**
 * Samples `pid` every `intervalMs` until `stop()`, which returns the mean and peak RSS over the
 * samples and the CPU used in the window.
 */
export function sampleProcess(pid: number, intervalMs = 250) {
  const first = snapshot(pid);
  const t0 = performance.now();
  const rss: number[] = [first.rssBytes];
  let last = first;
  const timer = setInterval(() => {
    try {
      last = snapshot(pid);
      rss.push(last.rssBytes);
    } catch {
      // the process ended; stop() reports what was seen
    }
  }, intervalMs);
  return {
    stop(): ProcUsage {
      clearInterval(timer);
      try {
        last = snapshot(pid);
        rss.push(last.rssBytes);
      } catch {
        // ended
      }
      const seconds = (performance.now() - t0) / 1000;
      return {
        seconds,
        rssMeanMB: rss.reduce((a, b) => a + b, 0) / rss.length / 1e6,
        rssMaxMB: Math.max(...rss) / 1e6,
        rssEndMB: last.rssBytes / 1e6,
        cpuPercent: ((last.cpuSeconds - first.cpuSeconds) / seconds) * 100,
      };
    },
  };
}
