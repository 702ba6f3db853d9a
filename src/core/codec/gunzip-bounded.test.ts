import { expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { DecompressionLimitError, gunzipBounded, gunzipBoundedAsync } from "./gunzip-bounded.ts";

const MiB = 1 << 20;
const bomb = gzipSync(Buffer.alloc(32 * MiB)); // ~32 KiB that inflate a thousandfold

test("inflating stops at the limit, sync and async, with the limit in the error", async () => {
  expect(bomb.length).toBeLessThan(64 << 10);
  expect(() => gunzipBounded(bomb, MiB)).toThrow(new DecompressionLimitError(MiB));
  expect(gunzipBoundedAsync(bomb, MiB)).rejects.toThrow(
    "records decompress to more than 1048576 bytes",
  );
});

test("within the limit the data comes back whole; bad gzip is an ordinary error", async () => {
  const data = Buffer.from("hello ".repeat(1000));
  expect(gunzipBounded(gzipSync(data), data.length)).toEqual(data);
  expect(await gunzipBoundedAsync(gzipSync(data), data.length)).toEqual(data);
  let err: unknown;
  try {
    gunzipBounded(Buffer.from("not gzip"), MiB);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(Error);
  expect(err).not.toBeInstanceOf(DecompressionLimitError);
});
