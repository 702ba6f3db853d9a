#!/usr/bin/env bun
/**
 * `iot <command>`: argv → a lazy import of one subcommand, so the Pi never loads server code.
 */
import type { Command } from "./cli/command.ts";
import { runCommand, type Io } from "./cli/run.ts";

export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: {
    summary: "run the collector, MQTT and Kafka brokers, consumers and dashboard",
    load: async () => (await import("./cli/serve.ts")).serve,
  },
  device: {
    summary: "run on a Raspberry Pi: sensors and camera to the server",
    load: async () => (await import("./cli/device.ts")).device,
  },
  simulate: {
    summary: "a fleet of virtual devices, people and rooms",
    load: async () => (await import("./cli/simulate.ts")).simulate,
  },
  migrate: {
    summary: "create or upgrade the database in the data dir",
    load: async () => (await import("./cli/migrate.ts")).migrate,
  },
  token: {
    summary: "create, list or revoke access tokens for protected mode",
    load: async () => (await import("./cli/token.ts")).token,
  },
  backup: {
    summary: "copy the database and images, while serve runs",
    load: async () => (await import("./cli/backup.ts")).backup,
  },
  restore: {
    summary: "restore a backup into an empty data dir",
    load: async () => (await import("./cli/restore.ts")).restore,
  },
  version: {
    summary: "print the version and git commit",
    load: async () => (await import("./cli/version.ts")).versionCommand,
  },
};

export function helpText(): string {
  const rows = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
  return `Usage: iot <command> [options]\n\nCommands:\n${rows.join("\n")}\n  ${"help".padEnd(10)} show this help\n\nRun 'iot <command> --help' for its options.\n`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    if (name === "help" && rest[0] && commands[rest[0]]) {
      return runCommand(rest[0], await commands[rest[0]]!.load(), ["--help"], io);
    }
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") return main(["version"], io);
  // internal: one camera snapshot in a child of `iot device` (device/snapshot)
  if (name === "__snapshot")
    return (await import("../device/snapshot/child.ts")).snapshotMain(rest);
  // internal: the disk use per kind, measured in a child of `iot serve` (src/lifecycle/measure.ts)
  if (name === "__usage") return (await import("./lifecycle/measure.ts")).usageMain(rest);
  // the binary starts with a reluctant JIT (scripts/compile.ts): serve returns to the normal
  // policy once it listens, every other command (device and simulate run for long) at once
  if (name !== "serve") Bun.unsafe.setJITPolicy(1);
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(`iot: unknown command '${name}' (try 'iot help')\n`);
    return 2;
  }
  return runCommand(name, await entry.load(), rest, io);
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
  });
  // Everything the command started is stopped by now; do not wait on stray handles.
  process.exit(code);
}
