/**
 * docs/RELIABILITY.md from bench/results/chaos-*.json: one table of counts, then each scenario's
 * method and notes, the machine and commit of its run, and the static "Hostile input" section.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeMachine } from "../machine.ts";
import { hostileInput } from "./hostile.ts";
import { root } from "./lib.ts";
import { methods } from "./methods.ts";
import type { ScenarioResult } from "./types.ts";

export interface RunRecord {
  at: string;
  quick: boolean;
  commit: string;
  machine: string;
  description: string;
  result: ScenarioResult;
}

export const resultsDir = join(root, "bench/results");

/** The machine and commit a chaos run names (its own outputs do not count as local changes). */
export function origin(): { commit: string; machine: string } {
  const m = describeMachine(root, ["bench/results", "docs/RELIABILITY.md"]);
  return {
    commit: m.commit,
    machine: `${m.cpu} × ${m.cores}, ${m.memoryGB} GB RAM, ${m.kernel}, Bun ${m.bun}`,
  };
}

const verdict = (r: ScenarioResult) => (r.skipped ? "skipped" : r.pass ? "pass" : "**FAIL**");

export function writeReport(order: string[]): string {
  const records = readdirSync(resultsDir)
    .filter((f) => /^chaos-.+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), "utf8")) as RunRecord)
    .sort((a, b) => rank(order, a.result.name) - rank(order, b.result.name));
  const lines = [
    "# Reliability",
    "",
    "Faults injected into real `iot serve` / `iot device` processes under load, with real clients",
    "(mqtt.js, kafkajs) on loopback. Written by `npm run chaos` (`bun bench/chaos/run.ts [name…]",
    "[--quick]`) from `bench/results/chaos-*.json`; never edited by hand. A scenario passes only",
    "when nothing acknowledged is lost and nothing is stored twice, and its own condition holds.",
    "",
    "| scenario | sent | acknowledged | stored | lost | duplicated | result |",
    "| --- | --: | --: | --: | --: | --: | --- |",
    ...records.map(({ result: r }) =>
      [r.name, n(r.sent), n(r.acknowledged), n(r.stored), n(r.lost), n(r.duplicated), verdict(r)]
        .join(" | ")
        .replace(/^/, "| ")
        .concat(" |"),
    ),
    "",
  ];
  for (const rec of records) {
    const r = rec.result;
    lines.push(
      `## ${r.name}`,
      "",
      `${rec.description[0]!.toUpperCase()}${rec.description.slice(1)}.`,
      "",
    );
    if (methods[r.name]) lines.push(`**Method.** ${methods[r.name]}`, "");
    lines.push(
      `**Run.** ${rec.quick ? "quick (`--quick`)" : "full"} durations, ${(r.durationMs / 1000).toFixed(0)} s, ${rec.at}, commit ${rec.commit}, ${rec.machine}.`,
      "",
    );
    if (r.skipped) lines.push(`**Skipped:** ${r.skipped}`, "");
    if (r.notes.length) lines.push("**Observed.**", "", ...r.notes.map((x) => `- ${x}`), "");
  }
  lines.push(hostileInput);
  const path = join(root, "docs/RELIABILITY.md");
  writeFileSync(path, lines.join("\n"));
  return path;
}

const n = (x: number) => x.toLocaleString("en-US");

function rank(order: string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}
