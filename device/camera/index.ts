/**
 * The still camera of `iot device`: the Pi camera through rpicam-still (or libcamera-still on
 * older Pi OS), any V4L2 or RTSP camera through ffmpeg, or a simulated one. Every snapshot is
 * resized and stamped with its time.
 */
import type { Logger } from "../../src/core/log/index.ts";
import { finishJpeg, testPattern } from "../../src/core/image/draw/index.ts";
import { loadSharp } from "../../src/core/image/sharp/index.ts";
import type { Camera } from "../types.ts";
import { locateTool, type Env } from "../tools/index.ts";
import { captureStdout } from "./capture.ts";
import { stillCommand } from "./commands.ts";

export interface CameraOptions {
  kind: "rpicam" | "libcamera" | "ffmpeg" | "sim";
  /** ffmpeg: /dev/videoN or rtsp://… */
  source?: string;
  width: number;
  height: number;
  log: Logger;
  /** how long one capture may take before the tool is killed; default 20 s */
  timeoutMs?: number;
  /** the environment the capture tool runs in; default: this process's */
  env?: Env;
}

export async function createCamera(opts: CameraOptions): Promise<Camera> {
  const log = opts.log.child("camera");
  const sharp = await loadSharp();
  const size = { width: opts.width, height: opts.height };

  if (opts.kind === "sim")
    return {
      name: "sim",
      snapshot: (now) =>
        finishJpeg(sharp, testPattern(now, opts.width, opts.height), { ...size, at: now }),
      close: async () => {},
    };

  const cmd = stillCommand(opts.kind, opts.width, opts.height, opts.source);
  locateTool(cmd[0], opts.env); // a missing tool is a start-up error, not one per snapshot
  const capture = { timeoutMs: opts.timeoutMs ?? 20_000, log, env: opts.env };
  const take = async (now: Date) => {
    const jpeg = await captureStdout(cmd, capture);
    try {
      return await finishJpeg(sharp, jpeg, { ...size, at: now });
    } catch (err) {
      throw new Error(
        `${cmd[0]} wrote an image that could not be decoded: ${(err as Error).message}`,
      );
    }
  };
  // one capture at a time: a second rpicam-still would find the camera busy and fail
  let last: Promise<unknown> = Promise.resolve();
  return {
    name: opts.kind === "ffmpeg" ? `ffmpeg ${opts.source ?? "/dev/video0"}` : cmd[0],
    snapshot: (now) => {
      const next = last.then(() => take(now));
      last = next.catch(() => {});
      return next;
    },
    close: async () => {},
  };
}
