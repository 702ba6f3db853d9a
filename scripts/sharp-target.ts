/**
 * sharp inside a compiled binary, for one target platform. sharp is JavaScript plus two
 * platform packages: `@img/sharp-<platform>` (the `.node` addon) and `@img/sharp-libvips-<platform>`
 * (libvips-cpp.so, which the addon links against). For each target we need a tree that holds
 * that target's packages: node_modules itself for the machine we build on, otherwise a staging
 * tree under build/, fetched once with npm (then cached: later builds are offline).
 *
 * The bundler plugin then (1) resolves `sharp` and `@img/sharp-*` in the target's tree only, so a
 * binary never embeds another platform's addon, and (2) replaces src/core/image/sharp/embedded.ts with a
 * module that embeds the target's libvips-cpp.so as a file (src/core/image/sharp/preload.ts loads it).
 */
import type { BunPlugin } from "bun";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

export type Target = "linux-x64" | "linux-arm64";

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));

function libvipsPackage(tree: string, target: Target): string {
  return join(tree, "node_modules", "@img", `sharp-libvips-${target}`);
}

/** The directory whose node_modules holds sharp for `target`; fetched into build/ if needed. */
export async function sharpTree(root: string, target: Target): Promise<string> {
  if (existsSync(libvipsPackage(root, target))) return root;
  const version: string = readJson(join(root, "node_modules/sharp/package.json")).version;
  const tree = join(root, "build", `sharp-${version}-${target}`);
  if (existsSync(libvipsPackage(tree, target))) return tree;
  const [os, cpu] = target.split("-");
  mkdirSync(tree, { recursive: true });
  writeFileSync(join(tree, "package.json"), JSON.stringify({ private: true }) + "\n");
  console.log(`fetching sharp ${version} for ${target} into ${tree} (once)`);
  const npm = Bun.spawn(
    [
      "npm",
      "install",
      `--os=${os}`,
      `--cpu=${cpu}`,
      "--libc=glibc",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      `sharp@${version}`,
    ],
    { cwd: tree, stdout: "inherit", stderr: "inherit" },
  );
  if ((await npm.exited) !== 0 || !existsSync(libvipsPackage(tree, target)))
    throw new Error(`could not fetch sharp's ${target} packages into ${tree}`);
  return tree;
}

/** libvips-cpp.so of the target, and the soname the addon asks for (its file name). */
export function libvipsFile(tree: string, target: Target): { path: string; soname: string } {
  const pkg = libvipsPackage(tree, target);
  const path = join(pkg, readJson(join(pkg, "package.json")).exports["./binary"]);
  return { path, soname: basename(path) };
}

export function sharpPlugin(tree: string, target: Target): BunPlugin {
  const modules = join(tree, "node_modules");
  const sharpMain = join(
    modules,
    "sharp",
    readJson(join(modules, "sharp/package.json")).exports["."].require.default,
  );
  const libvips = libvipsFile(tree, target);
  return {
    name: `sharp-${target}`,
    setup(build) {
      build.onResolve({ filter: /^sharp$/ }, () => ({ path: sharpMain }));
      build.onResolve({ filter: /^@img\/sharp-/ }, (args) => {
        const own = new RegExp(`^@img/sharp-(libvips-)?${target}(/|$)`).test(args.path);
        if (own) {
          try {
            return { path: Bun.resolveSync(args.path, modules) };
          } catch {}
        }
        // another platform's package: a module that fails like a missing optional dependency
        return { path: args.path, namespace: "sharp-absent" };
      });
      build.onLoad({ filter: /.*/, namespace: "sharp-absent" }, (args) => ({
        loader: "js",
        contents: `throw Object.assign(new Error(${JSON.stringify(`${args.path} is not in this ${target} build`)}), { code: "MODULE_NOT_FOUND" });`,
      }));
      build.onLoad({ filter: /image[\\/]sharp[\\/]embedded\.ts$/ }, () => ({
        loader: "ts",
        contents:
          `import path from ${JSON.stringify(libvips.path)} with { type: "file" };\n` +
          `export const embeddedLibvips = { path, soname: ${JSON.stringify(libvips.soname)} };\n`,
      }));
    },
  };
}
