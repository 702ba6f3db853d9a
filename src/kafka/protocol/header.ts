/**
 * Request header v1 (every non-flexible request) =>
 *   request_api_key INT16, request_api_version INT16, correlation_id INT32,
 *   client_id NULLABLE_STRING (int16 length, even in v2)
 * Request header v2 (flexible requests) => v1 + TAG_BUFFER
 * Response header v0 => correlation_id INT32 (used for every response here, ApiVersions v3 too)
 */
import { ProtocolError } from "./errors.ts";
import type { Reader } from "./reader.ts";
import type { Writer } from "./writer.ts";

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export function decodeRequestHeader(r: Reader, flexible: boolean): RequestHeader {
  const header = {
    apiKey: r.int16(),
    apiVersion: r.int16(),
    correlationId: r.int32(),
    clientId: r.nullableString(),
  };
  if (flexible) r.skipTaggedFields();
  return header;
}

/** The first 8 bytes, readable even when the rest of the frame is garbage. */
export function peekHeader(frame: Uint8Array): Omit<RequestHeader, "clientId"> {
  if (frame.length < 8) throw new ProtocolError(`frame of ${frame.length} bytes has no header`);
  const view = new DataView(frame.buffer, frame.byteOffset, 8);
  return {
    apiKey: view.getInt16(0),
    apiVersion: view.getInt16(2),
    correlationId: view.getInt32(4),
  };
}

export function encodeResponseHeader(w: Writer, correlationId: number): void {
  w.int32(correlationId);
}
