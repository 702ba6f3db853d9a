/**
 * ApiVersions Request (Version: 3, flexible; header v2) => client_software_name
 *   client_software_version TAG_BUFFER
 *   client_software_name => COMPACT_STRING
 *   client_software_version => COMPACT_STRING
 *
 * ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms TAG_BUFFER
 *   api_keys => api_key min_version max_version TAG_BUFFER   (COMPACT_ARRAY)
 * The response header stays v0 (no tags) even here: KIP-511.
 */
import { compactArray, compactString, int16, int32, struct, taggedFields } from "../schema.ts";
import { apiKeyRange } from "./v0.ts";

export const request = struct({
  clientSoftwareName: compactString,
  clientSoftwareVersion: compactString,
  tags: taggedFields,
});
export const response = struct({
  errorCode: int16,
  apiKeys: compactArray(struct({ ...apiKeyRange, tags: taggedFields })),
  throttleTimeMs: int32,
  tags: taggedFields,
});
