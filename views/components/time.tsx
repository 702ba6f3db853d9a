/** @jsxImportSource hono/jsx */
import { ago, clock } from "../format.ts";

/**
 * The one way a time is shown: relative ("3 min ago"), the absolute local time on hover, and a
 * machine-readable datetime. `never` when there is no time.
 */
export function Ago({ ts, now }: { ts: number | null | undefined; now: number }) {
  if (!ts) return <span class="muted">never</span>;
  return (
    <time datetime={new Date(ts).toISOString()} title={clock(ts)}>
      {ago(ts, now)}
    </time>
  );
}
