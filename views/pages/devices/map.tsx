/** @jsxImportSource hono/jsx */
import type { Position } from "../../../src/store/device-positions.ts";
import { mapFrame, placeLabels, tickLabel } from "./map-geometry.ts";
import type { DeviceState } from "./state.ts";

export interface MapDevice {
  id: string;
  label: string;
  x: number;
  y: number;
  state: DeviceState;
  /** recent positions, oldest first (the newest is where it is now) */
  trail: Position[];
}

const W = 1000;
const H = 480;
const FONT = 16;

/**
 * The coffee devices on a map scaled to their coordinate range: a grid at a round step with its
 * values, a scale bar, each device's short trail, labels kept inside the box.
 */
export function DeviceMap({ devices }: { devices: MapDevice[] }) {
  const frame = mapFrame(
    devices.flatMap((d) => [{ x: d.x, y: d.y }, ...d.trail]),
    W,
    H,
  );
  const p = frame.project;
  const bar = { x: W - 24 - frame.stepPx, y: H - 20 };
  const labels = placeLabels(
    devices.map((d) => ({ at: p(d), label: d.label })),
    frame,
    FONT,
  );
  // tick values only where they fit: not across an edge, not over the other axis' values
  const xTicks = frame.xs.filter((v) => {
    const x = p({ x: v, y: 0 }).x;
    return x > 40 && x + 3 + tickLabel(v).length * 8 < W;
  });
  const yTicks = frame.ys.filter((v) => {
    const y = p({ x: 0, y: v }).y;
    return y - 15 > 0 && y < H - 24;
  });
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      class="device-map"
      data-testid="map"
      role="img"
      aria-label={`Map of ${devices.length} devices`}
    >
      <g class="map-grid" data-testid="map-grid">
        {frame.xs.map((v) => (
          <line x1={p({ x: v, y: 0 }).x} x2={p({ x: v, y: 0 }).x} y1={0} y2={H} />
        ))}
        {frame.ys.map((v) => (
          <line y1={p({ x: 0, y: v }).y} y2={p({ x: 0, y: v }).y} x1={0} x2={W} />
        ))}
      </g>
      <g class="map-ticks" font-size="12">
        {xTicks.map((v) => (
          <text x={p({ x: v, y: 0 }).x + 3} y={H - 4}>
            {tickLabel(v)}
          </text>
        ))}
        {yTicks.map((v) => (
          <text x={4} y={p({ x: 0, y: v }).y - 3}>
            {tickLabel(v)}
          </text>
        ))}
      </g>
      {devices.map((d, i) => {
        const at = p(d);
        const trail = d.trail.map(p);
        const label = labels[i]!;
        return (
          <g
            data-testid={`dot-${d.id}`}
            data-x={String(d.x)}
            data-y={String(d.y)}
            class={`map-device map-${d.state}`}
          >
            {trail.length > 1 && (
              <polyline class="map-trail" points={trail.map((t) => `${t.x},${t.y}`).join(" ")} />
            )}
            {trail.slice(0, -1).map((t, i) => (
              <circle
                class="map-trail-dot"
                cx={t.x}
                cy={t.y}
                r={3}
                opacity={String(0.25 + (0.5 * (i + 1)) / trail.length)}
              />
            ))}
            <circle class="map-dot" cx={at.x} cy={at.y} r={8}>
              <title>{`${d.label} (${d.x}, ${d.y}) · ${d.state}`}</title>
            </circle>
            <text
              class="map-label"
              x={label.x}
              y={label.y}
              text-anchor={label.anchor}
              font-size={FONT}
            >
              {label.text}
            </text>
          </g>
        );
      })}
      <g class="map-scale" data-testid="map-scale">
        <rect x={bar.x - 8} y={bar.y - 22} width={frame.stepPx + 16} height={30} rx={4} />
        <line x1={bar.x} x2={bar.x + frame.stepPx} y1={bar.y} y2={bar.y} />
        <line x1={bar.x} x2={bar.x} y1={bar.y - 5} y2={bar.y + 5} />
        <line x1={bar.x + frame.stepPx} x2={bar.x + frame.stepPx} y1={bar.y - 5} y2={bar.y + 5} />
        <text x={bar.x + frame.stepPx / 2} y={bar.y - 8} text-anchor="middle" font-size="12">
          {`${tickLabel(frame.step)} ${frame.step === 1 ? "unit" : "units"}`}
        </text>
      </g>
    </svg>
  );
}
