/** Compiles one entry point into a self-contained executable for one target, sharp included. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { sharpPlugin, sharpTree, type Target } from "./sharp-target.ts";

export interface CompileOptions {
  root: string;
  entry: string;
  target: Target;
  outfile: string;
  define?: Record<string, string>;
  minify?: boolean;
  /** lay the bytecode out by scripts/bytecode-order.txt when there is one (default true) */
  order?: boolean;
  /** JavaScriptCore's tier-up thresholds scale at start (default startJitPolicy) */
  jitPolicy?: number;
}

/** the scale the binary starts with; see `jitPolicy` below */
export const startJitPolicy = 8;

/** What `iot serve` runs, recorded by scripts/bytecode-order.ts. */
const bytecodeOrder = join(import.meta.dir, "bytecode-order.txt");

export async function compile(opts: CompileOptions): Promise<void> {
  const tree = await sharpTree(opts.root, opts.target);
  const result = await Bun.build({
    entrypoints: [opts.entry],
    compile: {
      target: `bun-${opts.target}`,
      outfile: opts.outfile,
      // the bytecode start-up and the readings' path run, together at the front: fewer of the
      // binary's pages touched (measured: 3.7 MB less idle RSS)
      bytecodeOrder: opts.order !== false && existsSync(bytecodeOrder) && bytecodeOrder,
      // start-up's run-once code stays in the interpreter instead of keeping the JIT threads
      // busy: JavaScriptCore's tier-up thresholds ×8 until the program calls
      // Bun.unsafe.setJITPolicy(1) (src/main.ts at once; `iot serve` once it listens).
      // Measured: serve's CPU from spawn to /healthz 360 → 280 ms (main thread 240 → 220 ms)
      jitPolicy: opts.jitPolicy ?? startJitPolicy,
    },
    minify: opts.minify ?? true,
    // precompiled JavaScriptCore bytecode: the binary skips parsing its 3.6 MB of JavaScript at
    // every start (measured: ~90 ms of CPU less before main runs; ~9 MB more on disk)
    bytecode: true,
    format: "esm", // bytecode defaults to CommonJS, which has no top-level await (src/main.ts)
    define: opts.define,
    plugins: [sharpPlugin(tree, opts.target)],
  });
  if (!result.success)
    throw new Error(
      `compiling ${opts.entry} for ${opts.target} failed:\n${result.logs.join("\n")}`,
    );
}
