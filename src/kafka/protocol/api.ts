import type { Codec } from "./schema.ts";

export interface VersionCodec {
  request: Codec<any>;
  response: Codec<any>;
}

/** One API: its key, name and a codec per supported version (min..max, no gaps). */
export interface ApiDef {
  key: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  /** first version using the flexible (compact + tagged fields) encoding */
  flexibleFrom: number;
  versions: Readonly<Record<number, VersionCodec>>;
}

export function defineApi(
  key: number,
  name: string,
  flexibleFrom: number,
  versions: Record<number, VersionCodec>,
): ApiDef {
  const nums = Object.keys(versions)
    .map(Number)
    .sort((a, b) => a - b);
  const minVersion = nums[0]!;
  const maxVersion = nums[nums.length - 1]!;
  if (nums.length !== maxVersion - minVersion + 1) throw new Error(`${name}: version gap`);
  return { key, name, minVersion, maxVersion, flexibleFrom, versions };
}
