/**
 * The boundaries of docs/ARCHITECTURE.md, held against the code: no import from a lower layer to
 * a higher one, `device/` and `src/core/` self-contained, no import cycles.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { cycles, importEdges, sourceFiles } from "./imports.ts";
import { sourceRoots, violations } from "./rules.ts";

const root = join(import.meta.dir, "../..");
const files = sourceFiles(root, sourceRoots);
const edges = importEdges(root, files);

describe("architecture", () => {
  test("the graph is read: every part of the product has files and imports", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from === "src/cli/device.ts" && e.to === "device/index.ts")).toBe(
      true,
    );
    expect(edges.some((e) => e.from.startsWith("device/") && e.to.startsWith("src/core/"))).toBe(
      true,
    );
  });

  test("every import follows the layer rules", () => {
    expect(violations(edges)).toEqual([]);
  });

  test("no import cycles", () => {
    expect(cycles(edges)).toEqual([]);
  });

  test("a forbidden import is caught (the rules can fail)", () => {
    const planted = [
      { from: "device/deliver.ts", to: "src/store/db.ts", line: 1 },
      { from: "src/core/log/index.ts", to: "src/http/app.tsx", line: 2 },
      { from: "src/store/db.ts", to: "src/consumers/readings.ts", line: 3 },
      { from: "src/simulate/camera.ts", to: "device/image/index.ts", line: 4 },
    ];
    const found = violations(planted);
    expect(found.some((v) => v.startsWith("device/deliver.ts:1") && v.includes("only"))).toBe(true);
    expect(found.some((v) => v.startsWith("src/core/log/index.ts:2"))).toBe(true);
    expect(found.some((v) => v.startsWith("src/store/db.ts:3") && v.includes("above"))).toBe(true);
    expect(found.some((v) => v.startsWith("src/simulate/camera.ts:4"))).toBe(true);
    expect(
      cycles([
        { from: "a.ts", to: "b.ts", line: 1 },
        { from: "b.ts", to: "a.ts", line: 1 },
      ]),
    ).toEqual([["a.ts", "b.ts"]]);
  });
});
