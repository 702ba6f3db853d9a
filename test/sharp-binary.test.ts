/**
 * sharp inside the compiled binary, on both targets: a small entry (test/fixtures/sim-snapshot.ts)
 * takes a simulated camera snapshot through device/camera and sharp and writes the JPEG to
 * stdout. Each binary runs from an empty directory, far from node_modules: x64 natively, arm64
 * under qemu-user. Each must carry its own platform's sharp addon and not the other's.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { loadSharp } from "../src/core/image/sharp/index.ts";
import { compile } from "../scripts/compile.ts";
import type { Target } from "../scripts/sharp-target.ts";
import { run } from "./support/run.ts";
import { tempDirs } from "./support/temp.ts";

const root = join(import.meta.dir, "..");
const dirs = tempDirs("iot-sharp-bin-");
const targets: Target[] = ["linux-x64", "linux-arm64"];
const binaries = {} as Record<Target, string>;
let out: string;

beforeAll(async () => {
  out = dirs.make();
  for (const target of targets) {
    binaries[target] = join(out, `sim-snapshot-${target}`);
    await compile({
      root,
      entry: join(root, "test/fixtures/sim-snapshot.ts"),
      target,
      outfile: binaries[target],
    });
  }
}, 240_000);
afterAll(() => dirs.cleanup());

/** The command that runs `target`'s binary on this (x64) machine. */
function runner(target: Target): string[] {
  if (target === "linux-x64") return [binaries[target]];
  const qemu = Bun.which("qemu-aarch64-static");
  expect(qemu).toBeTruthy(); // qemu-user-static
  return [qemu!, binaries[target]];
}

describe.each(targets)("%s binary", (target) => {
  test("takes a 320×240 stamped snapshot through the embedded sharp", async () => {
    const proc = Bun.spawn([...runner(target), "320", "240"], {
      cwd: dirs.make(), // empty: nothing to find on disk
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: "/usr/bin:/bin", QEMU_LD_PREFIX: "/usr/aarch64-linux-gnu" },
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 90_000);
    const [jpeg, stderr, code] = await Promise.all([
      new Response(proc.stdout).arrayBuffer(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    clearTimeout(timer);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const sharp = await loadSharp();
    const meta = await sharp(Buffer.from(jpeg)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 320, 240]);
  }, 120_000);

  test("embeds its own platform's sharp addon and not the other's", async () => {
    const other = targets.find((t) => t !== target)!;
    const strings = await run(["grep", "-ac", `sharp-${other}-`, binaries[target]]);
    expect(strings.stdout.trim()).toBe("0");
    const own = await run(["grep", "-ac", `sharp-${target}-`, binaries[target]]);
    expect(Number(own.stdout.trim())).toBeGreaterThan(0);
  });
});
