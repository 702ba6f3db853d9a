/** What the snapshot child is asked to take (its one argument, as JSON). */
export interface SnapshotRequest {
  kind: "rpicam" | "libcamera" | "ffmpeg" | "sim";
  source?: string;
  width: number;
  height: number;
  /** ms since the epoch: the time stamped on the picture */
  at?: number;
}
