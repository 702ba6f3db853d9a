/** The machine a benchmark run measured: written by bench/run.ts, shown by the report. */
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  kernel: string;
  bun: string;
  commit: string;
  date: string;
}

/** A command's output, or "" when it fails or is not installed. */
const out = (cmd: string[]) => {
  try {
    const p = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "ignore" });
    return p.exitCode === 0 ? p.stdout.toString().trim() : "";
  } catch {
    return "";
  }
};

/** `outputs`: the files the run itself rewrites (they do not make the code "changed") */
export function describeMachine(
  root: string,
  outputs = ["bench/results", "docs/PERFORMANCE.md", "README.md"],
): Machine {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const commit = out(["git", "-C", root, "rev-parse", "--short", "HEAD"]) || "unknown";
  // the run rewrites its own outputs; other local changes mean the figures are not the commit's
  const dirty = out([
    "git",
    "-C",
    root,
    "status",
    "--porcelain",
    "--untracked-files=no",
    "--",
    ".",
    ...outputs.map((o) => `:!${o}`),
  ]);
  return {
    cpu: model.replace(/\s+/g, " "),
    cores: Number(out(["nproc"])) || cpus().length,
    memoryGB: Math.round((totalmem() / 1e9) * 10) / 10,
    kernel: `Linux ${release()}`,
    bun: Bun.version,
    commit: dirty ? `${commit} (with local changes)` : commit,
    date: new Date().toISOString(),
  };
}
