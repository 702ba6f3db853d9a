/** @jsxImportSource hono/jsx */
import type { BinRow } from "./data.ts";

export function Bins({ bins }: { bins: BinRow[] }) {
  if (bins.length === 0)
    return (
      <p class="empty">
        No bins yet — publish{" "}
        <code>"&lt;level&gt; &lt;bin_count&gt; &lt;date&gt; &lt;time&gt;"</code> to{" "}
        <code>hello/world</code>.
      </p>
    );
  return (
    <div class="grid">
      {bins.map((b) => (
        <section class={`card ${b.full ? "full" : ""}`} data-testid={`bin-${b.bin_count}`}>
          <h2>Bin {b.bin_count}</h2>
          <p class="big">{b.full ? "FULL" : b.bin_level}</p>
          <p class="muted">{b.m_time}</p>
        </section>
      ))}
    </div>
  );
}
