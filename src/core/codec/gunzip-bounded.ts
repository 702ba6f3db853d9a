/**
 * Bounded decompression of a record batch's records. A gzip batch within the broker's message
 * size can expand about a thousandfold, so nothing here inflates without a ceiling: past
 * `maxBytes` zlib stops and the batch is refused (broker) or not decoded (tools).
 */
import { unzip, unzipSync } from "node:zlib";

/** Records of a batch decompress to at most this by default (8 × Kafka's 8 MiB message size). */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 << 20;

export class DecompressionLimitError extends Error {
  constructor(readonly limit: number) {
    super(`records decompress to more than ${limit} bytes`);
    this.name = "DecompressionLimitError";
  }
}

/** zlib's answer when maxOutputLength is passed */
const tooLarge = (e: unknown) => (e as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE";

export function gunzipBounded(data: Uint8Array, maxBytes: number): Buffer {
  try {
    return unzipSync(data, { maxOutputLength: maxBytes });
  } catch (e) {
    throw tooLarge(e) ? new DecompressionLimitError(maxBytes) : e;
  }
}

/** The same off the event loop's thread (consumers: kafkajs awaits its codec). */
export function gunzipBoundedAsync(data: Uint8Array, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    unzip(data, { maxOutputLength: maxBytes }, (e, out) =>
      e ? reject(tooLarge(e) ? new DecompressionLimitError(maxBytes) : e) : resolve(out),
    ),
  );
}
