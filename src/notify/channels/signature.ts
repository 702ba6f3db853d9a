/**
 * The webhook signature (README "Webhook signature"): `X-Iot-Signature: sha256=<hex>` where hex
 * is HMAC-SHA256 of the raw body bytes with the shared secret. The body carries `sent_at` (epoch
 * seconds), repeated in `X-Iot-Timestamp`: being inside the signed body it cannot be changed, so
 * a receiver refuses a body whose `sent_at` is more than 5 minutes off its clock (a replay), and
 * drops an `id` it has seen (a retry).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Iot-Signature";
export const TIMESTAMP_HEADER = "X-Iot-Timestamp";
export const MAX_SKEW_SECONDS = 300;

export function sign(body: string, secret: string): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}

/** What a receiver does (used by the tests): null when the body is genuine and fresh. */
export function verify(
  body: string,
  headers: { signature: string | null; timestamp: string | null },
  secret: string,
  nowSeconds: number,
): string | null {
  const expected = Buffer.from(sign(body, secret));
  const got = Buffer.from(headers.signature ?? "");
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return "bad signature";
  let sentAt: unknown;
  try {
    sentAt = (JSON.parse(body) as { sent_at?: unknown }).sent_at;
  } catch {
    return "not JSON";
  }
  if (typeof sentAt !== "number" || String(sentAt) !== headers.timestamp)
    return "timestamp header does not match the body";
  if (Math.abs(nowSeconds - sentAt) > MAX_SKEW_SECONDS) return "too old (or from the future)";
  return null;
}
