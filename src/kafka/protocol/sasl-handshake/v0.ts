/**
 * SaslHandshake Request (Version: 0) => mechanism
 *   mechanism => STRING
 *
 * SaslHandshake Response (Version: 0) => error_code [mechanisms]
 *   error_code => INT16
 *   mechanisms => STRING
 *
 * v0: the SASL tokens that follow are raw size-prefixed frames; v1: SaslAuthenticate requests.
 */
import { array, int16, string, struct } from "../schema.ts";

export const request = struct({ mechanism: string });
export const response = struct({ errorCode: int16, mechanisms: array(string) });
