/**
 * Frame → handler → response frame. Undecodable requests, unknown API keys and versions the
 * broker does not serve close that one connection (as Kafka does); a too-new ApiVersions gets
 * the KIP-511 answer instead, so newer clients can fall back.
 */
import { apiVersionsV0 } from "../protocol/api-versions/index.ts";
import {
  ApiKey,
  decodeRequestHeader,
  ErrorCode,
  peekHeader,
  ProtocolError,
  Reader,
  Writer,
} from "../protocol/index.ts";
import type { Codec } from "../protocol/schema.ts";
import type { BrokerContext, RequestContext } from "./context.ts";
import { AUTHENTICATED, checkPlain, SASL_RAW_NEXT } from "./handlers/sasl.ts";
import { CloseConnection, type Connection, type FrameHandler, type Response } from "./net/index.ts";
import type { Registered } from "./registry.ts";

const PRE_AUTH = new Set<number>([
  ApiKey.ApiVersions,
  ApiKey.SaslHandshake,
  ApiKey.SaslAuthenticate,
]);

export function createDispatcher(
  registry: Map<number, Registered>,
  broker: BrokerContext,
): FrameHandler {
  const requests = broker.metrics.counter("iot_kafka_requests_total", "Kafka requests by API");
  const refused = broker.metrics.counter(
    "iot_kafka_bad_requests_total",
    "connections closed for a bad request",
  );
  return (frame: Buffer, conn: Connection): Response | Promise<Response> => {
    if (conn.state.get(SASL_RAW_NEXT)) return rawSaslToken(frame, conn, broker);
    const { apiKey, apiVersion, correlationId } = peekHeader(frame);
    const entry = registry.get(apiKey);
    if (!entry) {
      refused.inc({ reason: "unknown api key" });
      throw new CloseConnection(`unknown API key ${apiKey}`);
    }
    if (apiVersion < entry.minVersion || apiVersion > entry.maxVersion) {
      if (apiKey === ApiKey.ApiVersions) return [unsupportedApiVersions(correlationId, entry)];
      refused.inc({ reason: "unsupported version" });
      throw new CloseConnection(`${entry.handler.api.name} v${apiVersion} is not supported`);
    }
    if (broker.requireAuth && !conn.state.has(AUTHENTICATED) && !PRE_AUTH.has(apiKey)) {
      refused.inc({ reason: "unauthenticated" });
      throw new CloseConnection("SASL authentication required");
    }
    const codec = entry.handler.api.versions[apiVersion]!;
    const reader = new Reader(frame);
    let clientId: string | null;
    let request: unknown;
    try {
      clientId = decodeRequestHeader(reader, apiVersion >= entry.handler.api.flexibleFrom).clientId;
      request = codec.request.read(reader);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      refused.inc({ reason: "malformed" });
      throw new CloseConnection(`malformed ${entry.handler.api.name} v${apiVersion}: ${e.message}`);
    }
    requests.inc({ api: entry.handler.api.name });
    if (broker.log.enabled("debug")) {
      broker.log.debug("request", {
        api: entry.handler.api.name,
        v: apiVersion,
        client: clientId,
        conn: conn.id,
      });
    }
    const ctx: RequestContext = { version: apiVersion, clientId, conn, broker };
    const result = entry.handler.handle(request, ctx);
    const respond = (res: unknown) =>
      res === null ? null : encodeFrame(correlationId, codec.response, res);
    return result instanceof Promise ? result.then(respond) : respond(result);
  };
}

function encodeFrame(correlationId: number, codec: Codec<any>, body: unknown): Uint8Array[] {
  const w = new Writer();
  w.int32(0); // size, patched by finishFrame
  w.int32(correlationId); // response header v0
  codec.write(w, body);
  return w.finishFrame();
}

/** KIP-511: v0 body with UNSUPPORTED_VERSION and our ApiVersions range. */
function unsupportedApiVersions(correlationId: number, entry: Registered): Uint8Array {
  const body = {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: [
      { apiKey: ApiKey.ApiVersions, minVersion: entry.minVersion, maxVersion: entry.maxVersion },
    ],
  };
  return Buffer.concat(encodeFrame(correlationId, apiVersionsV0.response, body));
}

/** After SaslHandshake v0 the PLAIN token arrives bare; the answer is an empty frame. */
function rawSaslToken(
  frame: Buffer,
  conn: Connection,
  broker: BrokerContext,
): Response | Promise<Response> {
  conn.state.delete(SASL_RAW_NEXT);
  const ctx: RequestContext = { version: 0, clientId: null, conn, broker };
  const answer = (error: string | null) => {
    if (error) throw new CloseConnection(`SASL authentication failed: ${error}`);
    return [Buffer.alloc(4)];
  };
  const error = checkPlain(frame, ctx);
  return error instanceof Promise ? error.then(answer) : answer(error);
}
