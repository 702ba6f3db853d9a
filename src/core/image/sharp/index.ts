/**
 * sharp, loaded on first use: the server never pays for libvips, and in a compiled binary the
 * embedded libvips is made loadable first (see preload.ts).
 */
import type SharpModule from "sharp";
import { embeddedLibvips } from "./embedded.ts";
import { preloadLibrary } from "./preload.ts";

export type Sharp = typeof SharpModule;

let loading: Promise<Sharp> | undefined;

export function loadSharp(): Promise<Sharp> {
  loading ??= (async () => {
    if (embeddedLibvips) await preloadLibrary(embeddedLibvips, "vips_version");
    // require, not import: the bundler then embeds sharp's native addon for the target
    const sharp = require("sharp") as Sharp;
    // every picture is new: libvips' operation cache would only hold memory on a small Pi
    sharp.cache(false);
    return sharp;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
