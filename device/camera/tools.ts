/**
 * The command lines that take one still picture as a JPEG on stdout, and the package that
 * provides each tool (for the error when it is missing).
 */
export type ToolKind = "rpicam" | "libcamera" | "ffmpeg";

export const packageOf: Record<string, string> = {
  "rpicam-still": "rpicam-apps",
  "libcamera-still": "libcamera-apps",
  "rpicam-vid": "rpicam-apps",
  ffmpeg: "ffmpeg",
};

export function stillCommand(
  kind: ToolKind,
  width: number,
  height: number,
  source?: string,
): string[] {
  if (kind === "ffmpeg")
    return [...ffmpegInput(source), "-frames:v", "1", "-f", "mjpeg", "-q:v", "3", "-"];
  const tool = kind === "rpicam" ? "rpicam-still" : "libcamera-still";
  return [
    tool,
    "-n",
    "-t",
    "1",
    "-e",
    "jpg",
    "--width",
    String(width),
    "--height",
    String(height),
    "-o",
    "-",
  ];
}

/** ffmpeg up to and including `-i source`: TCP for RTSP (UDP drops frames), v4l2 for /dev/video*. */
export function ffmpegInput(source = "/dev/video0"): string[] {
  const head = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"];
  if (source.startsWith("rtsp://") || source.startsWith("rtsps://"))
    return [...head, "-rtsp_transport", "tcp", "-i", source];
  if (source.startsWith("/dev/video")) return [...head, "-f", "v4l2", "-i", source];
  return [...head, "-i", source];
}
