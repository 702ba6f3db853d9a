/**
 * Message layouts as data. Each API version file writes the spec's grammar as a schema built
 * from these combinators, and gets a decoder and an encoder from the same description, so the
 * two can never disagree. `Infer<typeof schema>` is the TypeScript type of a message.
 */
import { ProtocolError } from "./errors.ts";
import type { Reader } from "./reader.ts";
import type { Writer } from "./writer.ts";

export interface Codec<T> {
  read(r: Reader): T;
  write(w: Writer, v: T): void;
}

export type Infer<C> = C extends Codec<infer T> ? T : never;

const codec = <T>(read: (r: Reader) => T, write: (w: Writer, v: T) => void): Codec<T> => ({
  read,
  write,
});

export const int8 = codec(
  (r) => r.int8(),
  (w, v: number) => void w.int8(v),
);
export const int16 = codec(
  (r) => r.int16(),
  (w, v: number) => void w.int16(v),
);
export const int32 = codec(
  (r) => r.int32(),
  (w, v: number) => void w.int32(v),
);
export const int64 = codec(
  (r) => r.int64(),
  (w, v: number) => void w.int64(v),
);
export const boolean = codec(
  (r) => r.boolean(),
  (w, v: boolean) => void w.boolean(v),
);
export const string = codec(
  (r) => r.string(),
  (w, v: string) => void w.string(v),
);
export const nullableString = codec(
  (r) => r.nullableString(),
  (w, v: string | null) => void w.nullableString(v),
);
export const bytes = codec(
  (r) => r.bytes(),
  (w, v: Uint8Array) => void w.bytes(v),
);
export const nullableBytes = codec(
  (r) => r.nullableBytes(),
  (w, v: Uint8Array | null) => void w.nullableBytes(v),
);
/** RECORDS in responses: one buffer, or the pieces of several batches written without a copy. */
export const records = codec(
  (r) => r.nullableBytes(),
  (w, v: Uint8Array | readonly Uint8Array[] | null) => {
    if (v === null)
      w.int32(0); // never -1: librdkafka fails to parse a negative size
    else if (v instanceof Uint8Array) w.bytes(v);
    else w.bytesChunks(v);
  },
);

/** An array codec keeps its item's codec, so tools can walk a schema (bench/chaos/fuzz). */
export type ArrayCodec<T, A> = Codec<A> & { item: Codec<T> };

export function array<T>(item: Codec<T>): ArrayCodec<T, T[]> {
  return withItem(
    item,
    codec(
      (r) => {
        const n = r.arrayLength();
        if (n === null) throw new ProtocolError("null where an array is required");
        const out = new Array<T>(n);
        for (let i = 0; i < n; i++) out[i] = item.read(r);
        return out;
      },
      (w, v) => {
        w.arrayLength(v.length);
        for (const x of v) item.write(w, x);
      },
    ),
  );
}

export function nullableArray<T>(item: Codec<T>): ArrayCodec<T, T[] | null> {
  return withItem(
    item,
    codec(
      (r) => {
        const n = r.arrayLength();
        if (n === null) return null;
        const out = new Array<T>(n);
        for (let i = 0; i < n; i++) out[i] = item.read(r);
        return out;
      },
      (w, v) => {
        if (v === null) return void w.arrayLength(null);
        w.arrayLength(v.length);
        for (const x of v) item.write(w, x);
      },
    ),
  );
}

function withItem<T, A>(item: Codec<T>, c: Codec<A>): ArrayCodec<T, A> {
  return Object.assign(c, { item });
}

type Fields = Record<string, Codec<any>>;
export type Struct<F extends Fields> = { [K in keyof F]: Infer<F[K]> };

/** Fields in wire order (object insertion order). */
export function struct<F extends Fields>(fields: F): Codec<Struct<F>> & { fields: F } {
  const entries = Object.entries(fields);
  return {
    fields,
    read(r) {
      const out: Record<string, unknown> = {};
      for (const [name, c] of entries) out[name] = c.read(r);
      return out as Struct<F>;
    },
    write(w, v) {
      const obj = v as Record<string, unknown>;
      for (const [name, c] of entries) {
        const value = obj[name];
        if (value === undefined) throw new Error(`encode: field '${name}' is missing`);
        c.write(w, value);
      }
    },
  };
}

// Flexible (compact) encodings, used only by ApiVersions v3.
export const compactString = codec(
  (r) => r.compactString(),
  (w, v: string) => void w.compactString(v),
);
export const taggedFields = codec(
  (r) => (r.skipTaggedFields(), {}),
  (w, _v: Record<string, never>) => void w.emptyTaggedFields(),
);
export function compactArray<T>(item: Codec<T>): ArrayCodec<T, T[]> {
  return withItem(
    item,
    codec(
      (r) => {
        const n = r.compactArrayLength();
        if (n === null) throw new ProtocolError("null where an array is required");
        const out = new Array<T>(n);
        for (let i = 0; i < n; i++) out[i] = item.read(r);
        return out;
      },
      (w, v) => {
        w.compactArrayLength(v.length);
        for (const x of v) item.write(w, x);
      },
    ),
  );
}
