/**
 * mqtt-packet (the writer under aedes and mqtt.js) builds, at its first write, a cache holding one
 * 2-byte Buffer for each of the 65,536 possible packet ids and lengths, and keeps it for good:
 * ~65,700 objects, ~5 MB of `iot serve`'s JavaScript heap (measured after a full GC), which the
 * collector then walks at every full collection. Without it mqtt-packet makes the 2 bytes when
 * it writes them: one small allocation per packet id, nothing kept.
 */
import { writeToStream } from "mqtt-packet";

/** Has mqtt-packet write numbers without its cache (global to the process; call before a write). */
export function withoutNumberCache(): void {
  writeToStream.cacheNumbers = false;
}
