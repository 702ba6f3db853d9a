/** Compiles one entry point into a self-contained executable for one target, sharp included. */
import { sharpPlugin, sharpTree, type Target } from "./sharp-target.ts";

export interface CompileOptions {
  root: string;
  entry: string;
  target: Target;
  outfile: string;
  define?: Record<string, string>;
  minify?: boolean;
}

export async function compile(opts: CompileOptions): Promise<void> {
  const tree = await sharpTree(opts.root, opts.target);
  const result = await Bun.build({
    entrypoints: [opts.entry],
    compile: { target: `bun-${opts.target}`, outfile: opts.outfile },
    minify: opts.minify ?? true,
    define: opts.define,
    plugins: [sharpPlugin(tree, opts.target)],
  });
  if (!result.success)
    throw new Error(
      `compiling ${opts.entry} for ${opts.target} failed:\n${result.logs.join("\n")}`,
    );
}
