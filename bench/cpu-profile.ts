/**
 * Summarises a `bun --cpu-prof` profile (Chrome's .cpuprofile JSON) into where the CPU went:
 * by area (the innermost frame of ours or of a package, so time in a native call such as
 * fdatasync or SQLite's step counts for the code that made it) and by function (self time).
 * Idle samples are left out: shares are of the time the process was busy.
 */

export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Share {
  name: string;
  ms: number;
  /** of the busy time, 0..1 */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  areas: Share[];
  functions: Share[];
}

/**
 * The area of a script URL: a package, a folder of ours (src/x, device/x, bench), or null for
 * Bun's built-in modules and native code (they count for the script that called them).
 */
export function areaOf(url: string): string | null {
  if (!url) return null;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(src|device)\/([^/]+)(\/|$)/.exec(url);
  if (ours) return ours[3] === "/" ? `${ours[1]}/${ours[2]}` : ours[1]!;
  if (/\/bench\//.test(url)) return "bench";
  return null;
}

/** frames the profiler makes up, and what is under the root without a script of ours */
const special = new Map([
  ["(garbage collector)", "garbage collector"],
  ["(program)", "runtime (event loop, I/O)"],
]);
const outside = "runtime (event loop, I/O)";

/**
 * `lastMs`: only the samples of the profile's last `lastMs` (the load, not the start-up before
 * it); `top`: how many areas and functions to keep.
 */
export function summarise(
  profile: CpuProfile,
  { lastMs = Infinity, top = 15 }: { lastMs?: number; top?: number } = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaCache = new Map<number, string>();
  const areaOfNode = (id: number): string => {
    const cached = areaCache.get(id);
    if (cached !== undefined) return cached;
    const frame = byId.get(id)!.callFrame;
    const own = special.get(frame.functionName) ?? areaOf(frame.url);
    const p = parent.get(id);
    const area = own ?? (p === undefined ? outside : areaOfNode(p));
    areaCache.set(id, area);
    return area;
  };
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  const from = profile.endTime - lastMs * 1000;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const frame = byId.get(id)?.callFrame;
    if (at < from || !frame || frame.functionName === "(idle)" || frame.functionName === "(root)")
      return;
    busy += ms;
    const area = areaOfNode(id);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    // a script's path from the project down; a built-in or native frame: for whom it ran
    const where = frame.url.includes("/")
      ? frame.url.replace(/^.*?\/(node_modules|src|device)\//, "$1/")
      : `${frame.url || "native"}, for ${area}`;
    const fn = `${frame.functionName || "(anonymous)"} — ${where}`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
  });
  const ranked = (m: Map<string, number>, n: number): Share[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms, share: busy ? ms / busy : 0 }));
  return { busyMs: busy, areas: ranked(areas, top), functions: ranked(functions, top) };
}
