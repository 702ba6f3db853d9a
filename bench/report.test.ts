import { expect, test } from "bun:test";
import type { BenchResult } from "./lib.ts";
import {
  mdTable,
  performanceMd,
  readmeSection,
  replaceSection,
  type ReportInput,
} from "./report.ts";

const ok: BenchResult = {
  name: "demo",
  title: "A demo",
  at: "2026-12-01T00:00:00.000Z",
  quick: false,
  ok: true,
  tables: [{ caption: "Figures", rows: [{ a: "x|y", b: 2 }] }],
  limits: "the demo's own speed",
  headline: [{ measure: "demo/s", iot: "10", yardstick: "peer 20", ratio: "0.5×" }],
};
const input: ReportInput = {
  machine: {
    cpu: "Test CPU",
    cores: 2,
    memoryGB: 4,
    kernel: "Linux 6",
    bun: "1.4.5",
    commit: "abc123",
    date: "2026-12-01T00:00:00.000Z",
  },
  results: [
    { name: "demo", result: ok },
    { name: "broken", result: { ...ok, name: "broken", ok: false, error: "exited 1", tables: [] } },
    { name: "absent", result: null },
  ],
};

test("mdTable escapes pipes and fills missing cells", () => {
  expect(mdTable([{ a: "x|y" }, { b: null }])).toBe(
    "| a | b |\n| --- | --- |\n| x\\|y | — |\n| — | — |",
  );
});

test("the report has the machine, a summary, each table, its limits, failures and gaps", () => {
  const md = performanceMd(input);
  expect(md).toContain("| CPU | Test CPU |");
  expect(md).toContain("| demo/s | 10 | peer 20 | 0.5× |");
  expect(md).toContain("**What limits it:** the demo's own speed");
  expect(md).toContain("**Failed** in the last run");
  expect(md).toContain("Not run yet: `bun bench/run.ts absent`");
});

test("replaceSection swaps only the Performance section", () => {
  const readme = "# x\n\n## Performance\n\nold\n\n## Development\n\nkeep\n";
  const out = replaceSection(readme, readmeSection(input));
  expect(out).toContain("docs/PERFORMANCE.md");
  expect(out).not.toContain("old");
  expect(out).toEndWith("## Development\n\nkeep\n");
  expect(replaceSection("# no section\n", "x")).toBe("# no section\n");
});
