/**
 * The external programs the agent drives (rpicam-still, rpicam-vid, libcamera-still, ffmpeg):
 * finding them, naming the package when one is missing, quoting what they said on stderr.
 */
export type Env = Record<string, string | undefined>;

/** The Debian / Pi OS package that provides each tool. */
export const packageOf: Record<string, string> = {
  "rpicam-still": "rpicam-apps",
  "rpicam-vid": "rpicam-apps",
  "libcamera-still": "libcamera-apps",
  ffmpeg: "ffmpeg",
};

/** The executable's path, or a clear error naming the package that provides it. */
export function locateTool(tool: string, env?: Env): string {
  const found = env?.PATH !== undefined ? Bun.which(tool, { PATH: env.PATH }) : Bun.which(tool);
  if (found) return found;
  const pkg = packageOf[tool];
  throw new Error(
    `'${tool}' not found on PATH` + (pkg ? `: install it with 'sudo apt install ${pkg}'` : ""),
  );
}

/** The last few lines of stderr: where tools say what went wrong. */
export function tail(text: string, lines = 5): string {
  const kept = text.trim().split("\n").slice(-lines).join(" | ");
  return kept === "" ? "(no stderr)" : kept.slice(-600);
}

/** ffmpeg up to and including `-i source`: TCP for RTSP (UDP drops frames), v4l2 for /dev/video*. */
export function ffmpegInput(source = "/dev/video0"): string[] {
  const head = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"];
  if (source.startsWith("rtsp://") || source.startsWith("rtsps://"))
    return [...head, "-rtsp_transport", "tcp", "-i", source];
  if (source.startsWith("/dev/video")) return [...head, "-f", "v4l2", "-i", source];
  return [...head, "-i", source];
}
