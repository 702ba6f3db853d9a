/** @jsxImportSource hono/jsx */
import { Ago } from "../components/time.tsx";
import { Badge } from "../components/badge.tsx";
import { Empty } from "../components/empty.tsx";
import type { BinSample, LatestBinRow } from "../../src/store/device-queries.ts";

export type BinCard = LatestBinRow & { history: BinSample[] };

/** FULL first, then the fullest, then by number. */
export function binOrder(a: BinCard, b: BinCard): number {
  if (a.full !== b.full) return a.full ? -1 : 1;
  const d = levelOf(b) - levelOf(a);
  return d !== 0 ? d : a.bin_count - b.bin_count;
}

/** The fill in percent, FULL as 100; clamped to 0–100 for the bar. */
export const levelOf = (b: { full: boolean; bin_level: string }) =>
  b.full ? 100 : Math.max(0, Math.min(100, Number(b.bin_level) || 0));

/** Each bin's fill (percent, as the bin-level Pi reports it), FULL first, with its recent levels. */
export function Bins({ bins, now, mqttUrl }: { bins: BinCard[]; now: number; mqttUrl?: string }) {
  const full = bins.filter((b) => b.full).length;
  return (
    <div class="bins-page">
      <div class="page-head">
        <h1>Bins</h1>
        <p class="muted">
          {bins.length} bins · {full} full · fill level in % (0–100, as reported on{" "}
          <code>hello/world</code>; FULL counts as 100 %)
        </p>
      </div>
      {bins.length === 0 ? (
        <Empty title="No bins yet">
          Publish <code>"&lt;level&gt; &lt;bin_count&gt; &lt;YYYY-mm-dd&gt; &lt;HH:MM:SS&gt;"</code>{" "}
          to the MQTT topic <code>hello/world</code>
          {mqttUrl ? (
            <>
              {" "}
              on <code>{mqttUrl}</code>
            </>
          ) : (
            ""
          )}
          , e.g. <code>mosquitto_pub -t hello/world -m "55 3 2026-11-22 10:00:00"</code>.
        </Empty>
      ) : (
        <div class="grid bins-grid">
          {[...bins].sort(binOrder).map((b) => (
            <BinCardView bin={b} now={now} />
          ))}
        </div>
      )}
    </div>
  );
}

function BinCardView({ bin: b, now }: { bin: BinCard; now: number }) {
  const level = levelOf(b);
  const tone = b.full ? "bad" : level >= 80 ? "warn" : "ok";
  return (
    <section
      class={`card bin-card ${b.full ? "bin-full" : ""}`}
      data-testid={`bin-${b.bin_count}`}
      data-full={String(b.full)}
      aria-labelledby={`bin-${b.bin_count}-title`}
    >
      <div class="card-head">
        <h2 id={`bin-${b.bin_count}-title`}>Bin {b.bin_count}</h2>
        {b.full ? <Badge kind="full" label="FULL" /> : <Badge kind="ok" label="ok" />}
      </div>
      <p class="bin-level num">{b.full ? "FULL" : `${b.bin_level} %`}</p>
      <div
        class={`fill-bar fill-${tone}`}
        role="progressbar"
        aria-label={`Bin ${b.bin_count} fill`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={level}
      >
        <div class="fill-bar-value" style={`width: ${level}%`}></div>
      </div>
      <LevelHistory
        samples={b.history}
        label={`Bin ${b.bin_count}: last ${b.history.length} levels`}
      />
      <p class="muted">
        reported <Ago ts={b.ts} now={now} /> · {b.m_time}
      </p>
    </section>
  );
}

/** The last levels as bars (server-rendered SVG, oldest left); FULL bars stand out. */
export function LevelHistory({ samples, label }: { samples: BinSample[]; label: string }) {
  const W = 240;
  const H = 40;
  const n = Math.max(samples.length, 1);
  const bw = W / n;
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      class="level-history"
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      {samples.map((s, i) => {
        const h = Math.max(1, (Math.max(0, Math.min(100, s.level)) / 100) * H);
        return (
          <rect
            class={s.full ? "bar-full" : "bar"}
            x={i * bw + 0.5}
            y={H - h}
            width={Math.max(1, bw - 1)}
            height={h}
          >
            <title>{s.full ? "FULL" : `${s.level} %`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
