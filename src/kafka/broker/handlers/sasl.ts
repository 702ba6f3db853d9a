import { ErrorCode } from "../../protocol/errors.ts";
import {
  saslAuthenticate,
  type SaslAuthenticateRequest,
  type SaslAuthenticateResponse,
} from "../../protocol/sasl-authenticate/index.ts";
import {
  saslHandshake,
  type SaslHandshakeRequest,
  type SaslHandshakeResponse,
} from "../../protocol/sasl-handshake/index.ts";
import { defineHandler, PRINCIPAL, type RequestContext } from "../context.ts";

export const AUTHENTICATED = "authenticated";
export const SASL_RAW_NEXT = "sasl-raw-next";

/** SASL/PLAIN only. A v0 handshake means the next frame is a bare token (no request header). */
export const saslHandshakeHandler = defineHandler({
  api: saslHandshake,
  handle(req: SaslHandshakeRequest, { version, conn }: RequestContext): SaslHandshakeResponse {
    if (req.mechanism !== "PLAIN")
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: ["PLAIN"] };
    if (version === 0) conn.state.set(SASL_RAW_NEXT, true);
    return { errorCode: ErrorCode.NONE, mechanisms: ["PLAIN"] };
  },
});

/** PLAIN token: authzid NUL authcid NUL password. */
export function checkPlain(
  token: Uint8Array,
  ctx: RequestContext,
): string | null | Promise<string | null> {
  const parts = Buffer.from(token).toString("utf8").split("\u0000");
  if (parts.length !== 3) return "malformed PLAIN token";
  const check = ctx.broker.authenticate;
  const accept = (principal: unknown) => {
    if (principal === null || principal === undefined || principal === false)
      return "bad username or password";
    ctx.conn.state.set(AUTHENTICATED, parts[1]);
    ctx.conn.state.set(PRINCIPAL, principal);
    ctx.conn.establish(); // the full frame size and the long idle timeout apply from now on
    return null;
  };
  const principal = check ? check(parts[1]!, parts[2]!) : parts[1];
  // the tokens may be in PostgreSQL: a store that cannot answer refuses the login
  return principal instanceof Promise
    ? principal.then(accept, () => "credentials not checked: the store did not answer")
    : accept(principal);
}

export const saslAuthenticateHandler = defineHandler({
  api: saslAuthenticate,
  handle(
    req: SaslAuthenticateRequest,
    ctx: RequestContext,
  ): SaslAuthenticateResponse | Promise<SaslAuthenticateResponse> {
    const answer = (error: string | null): SaslAuthenticateResponse => {
      if (error)
        ctx.broker.log.warn("SASL authentication failed", {
          remote: ctx.conn.remote,
          reason: error,
        });
      return {
        errorCode: error ? ErrorCode.SASL_AUTHENTICATION_FAILED : ErrorCode.NONE,
        errorMessage: error,
        authBytes: new Uint8Array(0),
        sessionLifetimeMs: 0,
      };
    };
    const error = checkPlain(req.authBytes, ctx);
    return error instanceof Promise ? error.then(answer) : answer(error);
  },
});
