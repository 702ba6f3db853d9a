/** The child side of device/snapshot: `iot __snapshot <json request>` → one JPEG on stdout. */
import { createLogger } from "../../src/core/log/index.ts";
import { createCamera } from "../camera/index.ts";
import type { SnapshotRequest } from "./request.ts";

/** The hidden subcommand's name (not in `iot help`: only the agent runs it). */
export const snapshotCommand = "__snapshot";

export async function snapshotMain(args: string[]): Promise<number> {
  try {
    const req = JSON.parse(args[0] ?? "") as SnapshotRequest;
    if (!["rpicam", "libcamera", "ffmpeg", "sim"].includes(req.kind))
      throw new Error(`unknown camera '${String(req.kind)}'`);
    const camera = await createCamera({
      kind: req.kind,
      source: req.source,
      width: Number(req.width),
      height: Number(req.height),
      log: createLogger("warn", "snapshot"),
    });
    const jpeg = await camera.snapshot(new Date(req.at ?? Date.now()));
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(jpeg, (err) => (err ? reject(err) : resolve())),
    );
    return 0;
  } catch (e) {
    process.stderr.write(`iot ${snapshotCommand}: ${(e as Error).message}\n`);
    return 1;
  }
}
