/**
 * Hands the clean pages of read-only file mappings (the executable's machine code and constants)
 * back to the kernel once the process is quiet, as Android and Chrome do for idle processes.
 *
 * Why: an idle `iot serve` binary keeps ~44 MB of its own file mapped (37 MB of Bun's .text,
 * 6 MB of .rodata), most of it touched once at start-up (or mapped alongside a touched page by
 * the kernel's fault-around) and never again; its idle steady state touches ~10 MB of it. Those
 * pages are clean copies of the file: madvise(MADV_PAGEOUT) unmaps them and, where no other
 * process maps them, frees them from the page cache too. A page needed again is faulted back
 * from the file (from the page cache if it is still there, else from disk), so RSS shows the
 * real working set and the rest is memory the system can use.
 *
 * Only mappings that are file-backed, not writable and hold no anonymous (copied-on-write) page:
 * the data segment, the heap and every dirty page are never touched (nothing goes to swap).
 * Linux only, through libc's madvise via bun:ffi (loaded on first use); anywhere that does not
 * work it is a no-op. The kernel pages file mappings out only for the file's owner (or a process
 * allowed to write it, or root): run as another user, it frees nothing, and says so once.
 */
import { readFileSync } from "node:fs";
import type { Logger } from "../log/index.ts";

/** <linux/mman.h> MADV_PAGEOUT (Linux 5.4+) */
const MADV_PAGEOUT = 21;

export interface Mapping {
  start: number;
  length: number;
  path: string;
  rssKb: number;
}

/**
 * The mappings of /proc/<pid>/smaps that may be paged out: backed by a file, not writable,
 * resident, and without anonymous pages (a read-only mapping can hold some: relocations written
 * before it was made read-only — those would go to swap, so the whole mapping is left alone).
 */
export function pageOutCandidates(smaps: string): Mapping[] {
  const out: Mapping[] = [];
  let cur: (Mapping & { ok: boolean; anonKb: number }) | undefined;
  const flush = () => {
    if (cur && cur.ok && cur.rssKb > 0 && cur.anonKb === 0) {
      const { start, length, path, rssKb } = cur;
      out.push({ start, length, path, rssKb });
    }
  };
  for (const line of smaps.split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ (\S+) (\d+)\s*(.*)$/.exec(line);
    if (head) {
      flush();
      const [, from, to, perms, dev, inode, path] = head;
      const start = parseInt(from!, 16);
      cur = {
        start,
        length: parseInt(to!, 16) - start,
        path: path!,
        rssKb: 0,
        anonKb: 0,
        ok:
          perms![1] === "-" && // not writable
          inode !== "0" &&
          dev !== "00:00" &&
          path!.startsWith("/"), // " (deleted)" too: an upgraded binary still runs from its old inode
      };
      continue;
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (field && cur) {
      if (field[1] === "Rss") cur.rssKb = Number(field[2]);
      else cur.anonKb = Number(field[2]);
    }
  }
  flush();
  return out;
}

type Madvise = (addr: number, length: number, advice: number) => number;

/** undefined: not tried yet; null: not available here */
let madvise: Madvise | null | undefined;
let firstTry = true;
let unsupported = "no madvise here (not Linux with glibc, or no bun:ffi)";

async function loadMadvise(): Promise<Madvise | null> {
  if (process.platform !== "linux" || (process.arch !== "x64" && process.arch !== "arm64"))
    return null;
  try {
    const { dlopen, FFIType } = await import("bun:ffi");
    const libc = dlopen("libc.so.6", {
      madvise: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
    });
    return (addr, length, advice) => libc.symbols.madvise(addr, length, advice) as number;
  } catch {
    return null; // not glibc, or no FFI in this build
  }
}

function rssFileKb(): number {
  const m = /RssFile:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) : NaN;
}

export interface PageOutResult {
  /** false where it cannot work (not Linux/glibc, no FFI, the kernel refused) */
  supported: boolean;
  /** why not, when not */
  reason?: string;
  mappings: number;
  /** file-backed RSS before and right after, kB */
  beforeKb: number;
  afterKb: number;
}

/** Pages out this process's read-only file mappings (see above); resolves with what it did. */
export async function pageOutFileMappings(): Promise<PageOutResult> {
  if (madvise === undefined) madvise = await loadMadvise();
  const beforeKb = process.platform === "linux" ? rssFileKb() : NaN;
  if (!madvise)
    return { supported: false, reason: unsupported, mappings: 0, beforeKb, afterKb: beforeKb };
  const candidates = pageOutCandidates(readFileSync("/proc/self/smaps", "utf8"));
  let done = 0;
  for (const m of candidates) {
    // EINVAL: a kernel older than 5.4; anything else: that mapping is left as it is
    if (madvise(m.start, m.length, MADV_PAGEOUT) === 0) done++;
  }
  const afterKb = rssFileKb();
  // the first time there is always start-up's code to free: nothing freed means the kernel
  // declined (not the file's owner, or a kernel before 5.4), so it is not tried again
  if (firstTry && (done === 0 || afterKb >= beforeKb)) {
    madvise = null;
    unsupported = "the kernel freed nothing (not the file's owner, or Linux before 5.4)";
  }
  firstTry = false;
  const supported = madvise !== null;
  return {
    supported,
    reason: supported ? undefined : unsupported,
    mappings: done,
    beforeKb,
    afterKb,
  };
}

/**
 * The idle shrink's `pageOut` hook (idle-shrink.ts) for a command: pages out, hands `freed` the
 * bytes each time, and says once, at info, when the kernel will not do it here (run as a user
 * who does not own the executable, or on an old kernel) — not a fault, only a larger RSS.
 */
export function pageOutWhenIdle(log: Logger, freed: (bytes: number) => void = () => {}) {
  let refusalTold = false;
  return (): void =>
    void pageOutFileMappings().then(
      (r) => {
        const kb = r.beforeKb - r.afterKb;
        if (kb > 0) freed(kb * 1024);
        if (r.supported) log.debug("paged out", { component: "memory", ...r });
        else if (!refusalTold) {
          refusalTold = true;
          log.info("cannot page out the executable's code here: idle RSS stays as it is", {
            component: "memory",
            reason: r.reason,
          });
        }
      },
      (err) => log.warn("page-out failed", { component: "memory", err }),
    );
}
