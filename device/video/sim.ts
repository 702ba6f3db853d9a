/**
 * A simulated video source: the camera's test pattern, stamped, at the configured rate. A frame
 * that takes longer to encode than the interval is not queued behind: the next tick is skipped,
 * as a real camera drops frames when its reader is slow.
 */
import { finishJpeg, testPattern } from "../../src/core/image/draw/index.ts";
import type { Sharp } from "../../src/core/image/sharp/index.ts";
import type { VideoSource } from "../types.ts";
import type { StreamShape } from "./commands.ts";

export function simVideo(
  sharp: Sharp,
  shape: StreamShape,
  clock: () => Date = () => new Date(),
): VideoSource {
  let timer: Timer | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let busy = false;

  return {
    name: "sim",
    start(onFrame, onError) {
      if (timer) throw new Error("sim video already started");
      const tick = () => {
        if (busy) return;
        busy = true;
        const at = clock();
        inFlight = (async () => {
          try {
            const pattern = testPattern(at, shape.width, shape.height);
            const jpeg = await finishJpeg(sharp, pattern, { ...shape, at, quality: 75 });
            if (timer !== undefined) onFrame(jpeg);
          } catch (err) {
            onError(err instanceof Error ? err : new Error(String(err)));
          } finally {
            busy = false;
          }
        })();
      };
      timer = setInterval(tick, 1000 / shape.fps);
      tick();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
