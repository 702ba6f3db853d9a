/** The command lines that stream MJPEG to stdout until killed. */
import { ffmpegInput } from "../tools/index.ts";

export interface StreamShape {
  fps: number;
  width: number;
  height: number;
}

export function rpicamVidCommand(s: StreamShape): string[] {
  const shape = ["--width", `${s.width}`, "--height", `${s.height}`, "--framerate", `${s.fps}`];
  return ["rpicam-vid", "-n", "--codec", "mjpeg", "-t", "0", ...shape, "-o", "-"];
}

export function ffmpegStreamCommand(s: StreamShape, source?: string): string[] {
  const filters = `fps=${s.fps},scale=${s.width}:${s.height}`;
  return [...ffmpegInput(source), "-an", "-vf", filters, "-f", "mjpeg", "-q:v", "5", "-"];
}
