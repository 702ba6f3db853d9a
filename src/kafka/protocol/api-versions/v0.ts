/**
 * ApiVersions Request (Version: 0) => (empty)
 *
 * ApiVersions Response (Version: 0) => error_code [api_keys]
 *   error_code => INT16
 *   api_keys => api_key min_version max_version
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *
 * This v0 layout is also the KIP-511 answer to a version the broker does not know.
 */
import { array, int16, struct } from "../schema.ts";

export const apiKeyRange = { apiKey: int16, minVersion: int16, maxVersion: int16 };
export const request = struct({});
export const response = struct({ errorCode: int16, apiKeys: array(struct(apiKeyRange)) });
