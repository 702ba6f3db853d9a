import { describe, expect, test } from "bun:test";
import {
  CHAR_WIDTH_EM,
  labelBox,
  mapFrame,
  niceStep,
  placeLabel,
  placeLabels,
} from "./map-geometry.ts";

describe("map geometry", () => {
  test("round grid steps", () => {
    expect(niceStep(10, 10)).toBe(1);
    expect(niceStep(17, 10)).toBe(2);
    expect(niceStep(40, 10)).toBe(5);
    expect(niceStep(0.9, 10)).toBeCloseTo(0.1);
    expect(niceStep(0)).toBe(1);
  });

  test("every device lands inside the box, with one scale for x and y, y up", () => {
    const pts = [
      { x: -50, y: 3 },
      { x: 120, y: 7 },
      { x: 30, y: 40 },
    ];
    const f = mapFrame(pts, 1000, 500, 40);
    for (const p of pts) {
      const q = f.project(p);
      expect(q.x).toBeGreaterThanOrEqual(40);
      expect(q.x).toBeLessThanOrEqual(960);
      expect(q.y).toBeGreaterThanOrEqual(40);
      expect(q.y).toBeLessThanOrEqual(460);
    }
    const a = f.project({ x: 0, y: 0 });
    const b = f.project({ x: 10, y: 10 });
    expect(b.x - a.x).toBeCloseTo(a.y - b.y); // same scale; y grows upwards
    expect(f.xs.length).toBeGreaterThan(2);
    expect(f.ys.length).toBeGreaterThan(2);
    expect(f.stepPx).toBeCloseTo(f.project({ x: f.step, y: 0 }).x - a.x);
  });

  test("a single device still gets a frame with a grid", () => {
    const f = mapFrame([{ x: 5, y: 5 }]);
    const q = f.project({ x: 5, y: 5 });
    expect(q).toEqual({ x: 500, y: 250 });
    expect(f.xs.length).toBeGreaterThan(2);
  });

  test("labels stay inside: flipped left at the right edge, clamped at top and bottom", () => {
    const box = { width: 1000, height: 500 };
    const font = 16;
    const inside = (dot: { x: number; y: number }, label: string) => {
      const l = placeLabel(dot, label, box, font);
      const w = l.text.length * font * CHAR_WIDTH_EM;
      const left = l.anchor === "start" ? l.x : l.x - w;
      expect(left).toBeGreaterThanOrEqual(0);
      expect(left + w).toBeLessThanOrEqual(box.width);
      expect(l.y - font).toBeGreaterThanOrEqual(0);
      expect(l.y).toBeLessThanOrEqual(box.height);
      return l;
    };
    expect(inside({ x: 990, y: 250 }, "3DF92-192").anchor).toBe("end");
    expect(inside({ x: 10, y: 250 }, "3DF92-192").anchor).toBe("start");
    inside({ x: 500, y: 0 }, "top");
    inside({ x: 500, y: 500 }, "bottom");
    expect(inside({ x: 500, y: 250 }, "x".repeat(80)).text.endsWith("…")).toBe(true);
  });

  test("labels of dots side by side do not cover each other", () => {
    const box = { width: 1000, height: 500 };
    const labels = placeLabels(
      [
        { at: { x: 400, y: 250 }, label: "4F964-415" },
        { at: { x: 440, y: 250 }, label: "BD711-149" },
        { at: { x: 420, y: 252 }, label: "CCCCC-333" },
      ],
      box,
    );
    const boxes = labels.map((l) => labelBox(l));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart).toBe(true);
      }
  });
});
