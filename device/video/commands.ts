/** The command lines that stream MJPEG to stdout until killed. */
import { ffmpegInput } from "../camera/tools.ts";

export interface StreamShape {
  fps: number;
  width: number;
  height: number;
}

export function rpicamVidCommand(s: StreamShape): string[] {
  return [
    "rpicam-vid",
    "-n",
    "--codec",
    "mjpeg",
    "-t",
    "0",
    "--width",
    String(s.width),
    "--height",
    String(s.height),
    "--framerate",
    String(s.fps),
    "-o",
    "-",
  ];
}

export function ffmpegStreamCommand(s: StreamShape, source?: string): string[] {
  return [
    ...ffmpegInput(source),
    "-an",
    "-vf",
    `fps=${s.fps},scale=${s.width}:${s.height}`,
    "-f",
    "mjpeg",
    "-q:v",
    "5",
    "-",
  ];
}
