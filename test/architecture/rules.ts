/**
 * Who may import whom — the rules docs/ARCHITECTURE.md draws, as data. Layers run from the
 * entry point (top) down to the shared core (bottom): a file may import its own layer and the
 * layers below it, never one above. Parts listed in `only` are held tighter still.
 */
import type { ImportEdge } from "./imports.ts";

export const layers: Array<{ name: string; parts: string[] }> = [
  { name: "entry", parts: ["src/main.ts", "src/cli"] },
  { name: "programs", parts: ["src/serve", "src/simulate", "device"] },
  { name: "features", parts: ["src/http", "views", "src/bridge", "src/consumers", "src/notify"] },
  {
    name: "services",
    parts: [
      "src/kafka/broker",
      "src/bus",
      "src/mqtt",
      "src/auth",
      "src/alerts",
      "src/disk",
      "src/limits",
      "src/lifecycle",
      "src/backup",
      "src/store",
      "src/events",
      "src/health",
      "src/metrics",
      "src/version.ts",
    ],
  },
  {
    name: "contracts",
    // the bus's interface and its errors are what a topic's contract writes through
    parts: ["src/contracts", "src/kafka/protocol", "src/bus/types.ts", "src/bus/errors.ts"],
  },
  { name: "core", parts: ["src/core"] },
];

/** A part that may import nothing outside itself and the parts listed. */
export const only: Record<string, string[]> = {
  "src/core": [],
  device: ["src/core"],
  views: ["src/core", "src/contracts", "src/store"],
};

/** A part that only the files listed may import. */
export const importedOnlyBy: Record<string, string[]> = {
  device: ["src/main.ts", "src/cli/device.ts"],
};

export const sourceRoots = ["src", "device", "views"];

const within = (file: string, part: string) => file === part || file.startsWith(part + "/");

/** The most specific part a file belongs to (`src/kafka/broker` before `src/kafka`). */
export function partOf(file: string): string | undefined {
  let best: string | undefined;
  for (const { parts } of layers)
    for (const p of parts) if (within(file, p) && (!best || p.length > best.length)) best = p;
  return best;
}

const layerOf = (part: string) => layers.findIndex((l) => l.parts.includes(part));

/** One line per import that breaks a rule: `from:line → to: why`. */
export function violations(edges: ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = partOf(e.from);
    const to = partOf(e.to);
    const where = `${e.from}:${e.line} → ${e.to}`;
    if (!from) {
      out.push(`${where}: ${e.from} is in no layer (add its folder to test/architecture/rules.ts)`);
      continue;
    }
    if (!to) {
      out.push(`${where}: ${e.to} is in no layer`);
      continue;
    }
    if (from === to) continue;
    if (layerOf(to) < layerOf(from))
      out.push(
        `${where}: ${from} (${layers[layerOf(from)]!.name}) may not import ${to} (above it)`,
      );
    const allowed = only[from];
    if (allowed && !allowed.some((p) => within(to, p)))
      out.push(`${where}: ${from} may import only ${allowed.join(", ") || "itself"}`);
    const importers = Object.entries(importedOnlyBy).find(([part]) => within(e.to, part));
    if (importers && !importers[1].includes(e.from))
      out.push(`${where}: only ${importers[1].join(", ")} may import ${importers[0]}`);
  }
  return out;
}
