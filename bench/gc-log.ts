/**
 * JavaScriptCore's GC log (`BUN_JSC_logGC=1` on stderr) read for what a stretch of code left
 * behind: every collection says the heap's size when it began and when it ended, so the bytes
 * allocated between two marks are the sum of (size at a start − size at the previous end).
 */

/** The bytes allocated on the JS heap between the lines `begin` and `end` of a GC log. */
export function allocatedBetween(log: string, begin: string, end: string): number {
  const re = new RegExp(`${escape(begin)}|${escape(end)}|START M (\\d+)kb|=> (\\d+)kb,`, "g");
  let inside = false;
  let ended = false;
  let lastEnd = -1;
  let kb = 0;
  for (const m of log.matchAll(re)) {
    if (m[0] === begin) inside = true;
    else if (m[0] === end) ended = true;
    else if (m[1] !== undefined) {
      if (inside && lastEnd >= 0) kb += Number(m[1]) - lastEnd;
      if (ended) break; // the collection after the end mark counts what the stretch left
    } else lastEnd = Number(m[2]);
  }
  if (!inside || !ended) throw new Error(`the GC log has no ${begin} … ${end} stretch`);
  return kb * 1024;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
