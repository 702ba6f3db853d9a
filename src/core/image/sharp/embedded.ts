/**
 * The libvips shared library that sharp's native addon links against, when this code runs inside
 * a compiled `iot` binary. From source it is null (sharp finds libvips in node_modules); the
 * build (scripts/build.ts) replaces this module per target with one that embeds the target's
 * `libvips-cpp.so` as a file.
 */
export interface EmbeddedLibrary {
  /** where the embedded file can be read (inside the binary's virtual filesystem) */
  path: string;
  /** the name the addon asks the dynamic linker for */
  soname: string;
}

export const embeddedLibvips: EmbeddedLibrary | null = null;
