/** The command lines that take one still picture and write it as a JPEG to stdout. */
import { ffmpegInput } from "../tools/index.ts";

export type ToolKind = "rpicam" | "libcamera" | "ffmpeg";

export function stillCommand(kind: ToolKind, width: number, height: number, source?: string) {
  if (kind === "ffmpeg")
    return [...ffmpegInput(source), "-frames:v", "1", "-f", "mjpeg", "-q:v", "3", "-"];
  const tool = kind === "rpicam" ? "rpicam-still" : "libcamera-still";
  const size = ["--width", `${width}`, "--height", `${height}`];
  return [tool, "-n", "-t", "1", "-e", "jpg", ...size, "-o", "-"];
}
