/**
 * Makes an embedded shared library visible to the dynamic linker. A compiled binary extracts
 * sharp's `.node` addon to a temp file, where its rpath to libvips no longer leads anywhere; but
 * the linker satisfies a NEEDED entry with an already loaded library of the same soname. So:
 * write the library out under its soname, dlopen it, and remove the file (the mapping stays).
 */
import { dlopen } from "bun:ffi";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmbeddedLibrary } from "./embedded.ts";

/** Keeps the handle alive for the life of the process: closing it would unmap libvips. */
const loaded: unknown[] = [];

export async function preloadLibrary(lib: EmbeddedLibrary, symbol: string): Promise<void> {
  const bytes = new Uint8Array(await Bun.file(lib.path).arrayBuffer());
  // a private, fresh directory: nobody else can plant a library under this name
  const dir = mkdtempSync(join(tmpdir(), "iot-lib-"));
  try {
    const file = join(dir, lib.soname);
    writeFileSync(file, bytes, { mode: 0o500 });
    // dlopen must name a real symbol; vips_version(0) is harmless
    loaded.push(dlopen(file, { [symbol]: { args: ["int"], returns: "int" } }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
