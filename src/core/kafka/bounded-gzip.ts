/**
 * kafkajs inflates gzip batches on fetch with no ceiling: one record that decompresses to
 * 20 MiB reaches the sink whole, and a "zip bomb" can take the process down. The codec here
 * replaces kafkajs's own (same compression; decompression bounded): a batch inflating past
 * `maxUncompressedBytes` fails to decode (the embedded broker refuses such batches at produce,
 * so only an external cluster can hold one), and a record past `maxRecordBytes` is reduced to
 * a stub the sinks dead-letter (oversized.ts).
 */
import { CompressionCodecs, CompressionTypes } from "kafkajs";
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, gunzipBoundedAsync } from "../codec/gunzip-bounded.ts";
import { reduceOversizedRecords } from "./oversized.ts";

export interface RecordLimits {
  /** a gzip batch's records, decompressed */
  maxUncompressedBytes: number;
  /** one record (key, value, headers) as a sink may get it */
  maxRecordBytes: number;
}

export const defaultRecordLimits: RecordLimits = {
  maxUncompressedBytes: DEFAULT_MAX_UNCOMPRESSED_BYTES,
  maxRecordBytes: 8 << 20,
};

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

let kafkajsGzip: Codec | null = null;

/**
 * kafkajs keeps one codec table per process: the limits given last hold for every client;
 * without limits, the defaults are installed unless some limits already are.
 */
export function boundGzipDecompression(given?: RecordLimits): void {
  const codecs = CompressionCodecs as Record<number, () => Codec>;
  if (!given && kafkajsGzip) return;
  const limits = given ?? defaultRecordLimits;
  kafkajsGzip ??= codecs[CompressionTypes.GZIP]!();
  const compress = kafkajsGzip.compress;
  const codec: Codec = {
    compress,
    async decompress(buffer) {
      const data = await gunzipBoundedAsync(buffer, limits.maxUncompressedBytes);
      return reduceOversizedRecords(data, limits.maxRecordBytes);
    },
  };
  codecs[CompressionTypes.GZIP] = () => codec;
}
