import { describe, expect, test } from "bun:test";
import { evaluateRule, RoomWindow, type Rule } from "./rule-engine.ts";

const opts = { windowMs: 5 * 60_000, hysteresis: 0.5 };
const rule = (): Rule => ({
  roomNo: 1,
  scheduleId: 1,
  state: "ok",
  condition: { temperature: { agg_type: "mean", up: 30, down: null } },
});

describe("room rules", () => {
  test("the window aggregates min, mean and max over the last minutes only", () => {
    const w = new RoomWindow(60_000);
    w.add({ ts: 0, temperature: 100, humidity: null });
    w.add({ ts: 70_000, temperature: 20, humidity: 40 });
    w.add({ ts: 80_000, temperature: 24, humidity: null });
    expect(w.aggregate("temperature", "mean")).toBe(22);
    expect(w.aggregate("temperature", "max")).toBe(24);
    expect(w.aggregate("humidity", "min")).toBe(40);
  });

  test("an excursion alerts once, then clears once back inside the margin", () => {
    const r = rule();
    const w = new RoomWindow(opts.windowMs);
    const transitions: string[] = [];
    const values = [25, 26, 35, 36, 30.2, 29.9, 30.1, 29.8, 25, 25, 25, 25];
    values.forEach((t, i) => {
      w.add({ ts: i * 60_000, temperature: t, humidity: null });
      const tr = evaluateRule(r, w, { ...opts, windowMs: 60_000 });
      if (tr) transitions.push(tr.to);
    });
    expect(transitions).toEqual(["alert", "ok"]);
  });

  test("hovering right at the threshold does not flap", () => {
    const r = rule();
    const w = new RoomWindow(0); // the window holds only the newest sample
    const flips: string[] = [];
    for (let i = 0; i < 40; i++) {
      w.add({ ts: i, temperature: i % 2 ? 30.1 : 29.9, humidity: null });
      const tr = evaluateRule(r, w, opts);
      if (tr) flips.push(tr.to);
    }
    expect(flips).toEqual(["alert"]);
  });

  test("down bounds and messages", () => {
    const r: Rule = {
      roomNo: 2,
      scheduleId: 7,
      state: "ok",
      condition: { humidity: { agg_type: "min", up: null, down: 20 } },
    };
    const w = new RoomWindow(opts.windowMs);
    w.add({ ts: 0, temperature: null, humidity: 15 });
    expect(evaluateRule(r, w, opts)?.message).toBe(
      "room 2 rule 7: humidity min 15 < 20 over 5 min",
    );
  });
});
