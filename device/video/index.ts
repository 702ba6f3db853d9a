/**
 * The MJPEG video source of `iot device`: the Pi camera through rpicam-vid, a V4L2 or RTSP
 * camera through ffmpeg (the seed streamed `rtsp://…`), or a simulated one.
 */
import type { Logger } from "../../src/core/log/index.ts";
import type { Env } from "../tools/index.ts";
import { loadSharp } from "../../src/core/image/sharp/index.ts";
import type { VideoSource } from "../types.ts";
import { ffmpegStreamCommand, rpicamVidCommand } from "./commands.ts";
import { simVideo } from "./sim.ts";
import { toolVideo } from "./tool.ts";

export { JpegSplitter } from "./splitter.ts";

export interface VideoOptions {
  kind: "rpicam" | "ffmpeg" | "sim";
  /** ffmpeg: /dev/videoN or rtsp://… */
  source?: string;
  fps: number;
  width: number;
  height: number;
  log: Logger;
  /** the environment the tool runs in; default: this process's */
  env?: Env;
}

export async function createVideo(opts: VideoOptions): Promise<VideoSource> {
  const log = opts.log.child("video");
  const shape = { fps: opts.fps, width: opts.width, height: opts.height };
  if (!(opts.fps > 0 && opts.fps <= 120))
    throw new Error(`video fps must be in (0, 120], got ${opts.fps}`);
  switch (opts.kind) {
    case "sim":
      return simVideo(await loadSharp(), shape);
    case "rpicam":
      return toolVideo(rpicamVidCommand(shape), log, opts.env);
    case "ffmpeg":
      return toolVideo(ffmpegStreamCommand(shape, opts.source), log, opts.env);
  }
}
