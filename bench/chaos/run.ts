/**
 * npm run chaos [-- name… ] [--quick] [--report]: runs the fault scenarios (all, or the named ones) one
 * after another, writes bench/results/chaos-<name>.json for each and then docs/RELIABILITY.md
 * from every result on disk. Exits 1 when a scenario that ran did not pass.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupAll, root } from "./lib.ts";
import { origin, resultsDir, writeReport, type RunRecord } from "./report.ts";
import { scenarios } from "./scenarios.ts";
import type { ScenarioResult } from "./types.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
/** --report: only rewrite docs/RELIABILITY.md from the results on disk */
const reportOnly = args.includes("--report");
const names = args.filter((a) => !a.startsWith("--"));
const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
if (unknown.length) {
  console.error(
    `unknown scenario ${unknown.join(", ")}; known: ${scenarios.map((s) => s.name).join(", ")}`,
  );
  process.exit(2);
}
const all = reportOnly ? [] : scenarios;
const selected = names.length ? all.filter((s) => names.includes(s.name)) : all;
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const written: string[] = [];
const runOrigin = origin();
let failed = 0;

try {
  for (const s of selected) {
    log(`${s.name}: ${s.description}${quick ? " (quick)" : ""}`);
    const t0 = Date.now();
    let r: ScenarioResult;
    try {
      r = await s.run({ quick, log });
    } catch (e) {
      console.error(e);
      r = crashed(s.name, e, Date.now() - t0);
    }
    if (!r.pass && !r.skipped) failed++;
    log(
      `${s.name}: ${r.skipped ? `skipped (${r.skipped})` : r.pass ? "pass" : "FAIL"} — sent ${r.sent}, acknowledged ${r.acknowledged}, stored ${r.stored}, lost ${r.lost}, duplicated ${r.duplicated}`,
    );
    for (const note of r.notes) log(`  ${note}`);
    const record: RunRecord = {
      at: new Date().toISOString(),
      quick,
      ...runOrigin,
      description: s.description,
      result: r,
    };
    const file = join(resultsDir, `chaos-${s.name}.json`);
    writeFileSync(file, JSON.stringify(record, null, 2) + "\n");
    written.push(file);
  }
  written.push(writeReport(scenarios.map((s) => s.name)));
  Bun.spawnSync([join(root, "node_modules/.bin/prettier"), "--write", ...written], {
    stdout: "ignore",
  });
  log(`wrote ${written.map((f) => f.slice(root.length + 1)).join(", ")}`);
} finally {
  cleanupAll();
}
process.exit(failed ? 1 : 0);

function crashed(name: string, e: unknown, durationMs: number): ScenarioResult {
  return {
    name,
    sent: 0,
    acknowledged: 0,
    stored: 0,
    lost: 0,
    duplicated: 0,
    pass: false,
    notes: [`the scenario itself failed: ${((e as Error).message ?? String(e)).split("\n")[0]}`],
    durationMs,
  };
}
