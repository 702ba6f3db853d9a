/**
 * `npm run build`: one self-contained `iot` binary per target in dist/, version and git commit
 * stamped in, sharp and its libvips embedded for the target (see sharp-target.ts). `--target
 * linux-x64` builds just one.
 */
import { $ } from "bun";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import pkg from "../package.json";
import { compile } from "./compile.ts";

export const targets = ["linux-x64", "linux-arm64"] as const;

const root = join(import.meta.dir, "..");
const args = process.argv.slice(2);
const only = args[args.indexOf("--target") + 1];
const chosen = args.includes("--target") ? targets.filter((t) => t === only) : targets;
if (chosen.length === 0) {
  console.error(`build: unknown target '${only}' (one of ${targets.join(", ")})`);
  process.exit(2);
}

const commit = (await $`git rev-parse --short HEAD`.cwd(root).nothrow().quiet()).stdout
  .toString()
  .trim();
mkdirSync(join(root, "dist"), { recursive: true });

for (const target of chosen) {
  const outfile = join(root, "dist", `iot-${target}`);
  await compile({
    root,
    entry: join(root, "src/main.ts"),
    target,
    outfile,
    define: {
      IOT_VERSION: JSON.stringify(pkg.version),
      IOT_COMMIT: JSON.stringify(commit || "unknown"),
    },
  }).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
  console.log(`built ${outfile}`);
}
