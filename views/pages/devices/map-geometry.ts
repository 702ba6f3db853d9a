/**
 * The device map's geometry (pure): a frame that fits the devices' coordinate range into the
 * SVG box with one scale for x and y (a map keeps its proportions), y pointing up, grid lines at
 * a round step, and label positions that stay inside the box.
 */
export interface Point {
  x: number;
  y: number;
}

export interface Frame {
  width: number;
  height: number;
  /** device coordinates → SVG pixels */
  project(p: Point): Point;
  /** the grid's step in device units (1, 2 or 5 × 10^k) */
  step: number;
  /** device x and y values of the grid lines inside the box */
  xs: number[];
  ys: number[];
  /** the step's length in SVG pixels (the scale bar) */
  stepPx: number;
}

/** A round step (1, 2, 5 × 10^k) that cuts `span` into about `lines` parts. */
export function niceStep(span: number, lines = 8): number {
  const raw = span / lines;
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** The frame of `points` (and their trails) in a `width` × `height` box, `margin` px inside. */
export function mapFrame(points: Point[], width = 1000, height = 500, margin = 40): Frame {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 10];
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 10];
  // one device, or all on a line: still a square of a few units around them
  const minSpan = 4;
  if (x1 - x0 < minSpan) [x0, x1] = [(x0 + x1) / 2 - minSpan / 2, (x0 + x1) / 2 + minSpan / 2];
  if (y1 - y0 < minSpan) [y0, y1] = [(y0 + y1) / 2 - minSpan / 2, (y0 + y1) / 2 + minSpan / 2];
  // 8 % room around the outermost devices for their dots and labels
  const padX = (x1 - x0) * 0.08;
  const padY = (y1 - y0) * 0.08;
  [x0, x1, y0, y1] = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
  const innerW = width - 2 * margin;
  const innerH = height - 2 * margin;
  const scale = Math.min(innerW / (x1 - x0), innerH / (y1 - y0));
  // centre the data in the box; the unused side's range grows to fill it
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const project = (p: Point): Point => ({
    x: width / 2 + (p.x - cx) * scale,
    y: height / 2 - (p.y - cy) * scale,
  });
  const visX = [cx - width / 2 / scale, cx + width / 2 / scale];
  const visY = [cy - height / 2 / scale, cy + height / 2 / scale];
  // the shorter side gets about 6 lines; the longer side as many more as it is longer
  const step = niceStep(Math.min(visX[1]! - visX[0]!, visY[1]! - visY[0]!), 6);
  const lines = (lo: number, hi: number) => {
    const out: number[] = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step)
      out.push(Math.round(v / step) * step);
    return out;
  };
  return {
    width,
    height,
    project,
    step,
    xs: lines(visX[0]!, visX[1]!),
    ys: lines(visY[0]!, visY[1]!),
    stepPx: step * scale,
  };
}

export interface LabelPlace {
  x: number;
  y: number;
  anchor: "start" | "end";
  text: string;
}

/** Longest label drawn; longer names are cut with an ellipsis. */
export const MAX_LABEL_CHARS = 22;
/** A generous width per character (system sans-serif is narrower): labels never overflow. */
export const CHAR_WIDTH_EM = 0.62;

/**
 * Where a dot's label goes: to its right, or to its left when it would cross the right edge;
 * vertically clamped inside the box.
 */
export function placeLabel(
  dot: Point,
  label: string,
  frame: Pick<Frame, "width" | "height">,
  fontPx = 16,
  gap = 10,
): LabelPlace {
  const text = label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
  const w = text.length * fontPx * CHAR_WIDTH_EM;
  const edge = 4;
  const right = dot.x + gap + w <= frame.width - edge;
  const x = right ? dot.x + gap : Math.max(edge + w, dot.x - gap);
  const y = Math.min(
    frame.height - edge - fontPx * 0.25,
    Math.max(edge + fontPx, dot.y + fontPx * 0.35),
  );
  return { x, y, anchor: right ? "start" : "end", text };
}

/** A tick value without float noise (0.30000000000000004 → 0.3). */
export const tickLabel = (v: number) => String(Math.round(v * 1e6) / 1e6);

/** A label's box in SVG pixels (from its place; widths estimated as `placeLabel` does). */
export function labelBox(l: LabelPlace, fontPx = 16) {
  const w = l.text.length * fontPx * CHAR_WIDTH_EM;
  return { x: l.anchor === "start" ? l.x : l.x - w, y: l.y - fontPx, w, h: fontPx * 1.25 };
}

type Box = ReturnType<typeof labelBox>;
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Labels for all dots, each moved down or up a line (still inside the box) when it would cover
 * a label placed before it; the order of `dots` is the priority.
 */
export function placeLabels(
  dots: Array<{ at: Point; label: string }>,
  frame: Pick<Frame, "width" | "height">,
  fontPx = 16,
): LabelPlace[] {
  const placed: Box[] = [];
  return dots.map(({ at, label }) => {
    const first = placeLabel(at, label, frame, fontPx);
    const line = fontPx * 1.3;
    const tries = [0, line, -line, 2 * line, -2 * line].map((dy) => ({
      ...first,
      y: Math.min(frame.height - 4 - fontPx * 0.25, Math.max(4 + fontPx, first.y + dy)),
    }));
    const free = tries.find((t) => !placed.some((b) => overlaps(b, labelBox(t, fontPx))));
    const chosen = free ?? first;
    placed.push(labelBox(chosen, fontPx));
    return chosen;
  });
}
