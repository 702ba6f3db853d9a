/**
 * SaslAuthenticate Request (Version: 0) => auth_bytes
 *   auth_bytes => BYTES
 *
 * SaslAuthenticate Response (Version: 0) => error_code error_message auth_bytes
 *   error_code => INT16
 *   error_message => NULLABLE_STRING
 *   auth_bytes => BYTES
 */
import { bytes, int16, nullableString, struct } from "../schema.ts";

export const request = struct({ authBytes: bytes });
export const responseFields = { errorCode: int16, errorMessage: nullableString, authBytes: bytes };
export const response = struct(responseFields);
