/**
 * The history endpoints' paging cursor: opaque to clients (base64url JSON), it names the list
 * and bucket it belongs to, so a cursor from another query is a 400, not a wrong page.
 */
import type { Bucket, HistoryKind, Position } from "../../store/history.ts";

export function encodeCursor(kind: HistoryKind, bucket: Bucket, at: Position): string {
  return Buffer.from(JSON.stringify([kind, bucket, ...at])).toString("base64url");
}

/** The position, or a reason it is not one of this list's cursors. */
export function decodeCursor(
  raw: string,
  kind: HistoryKind,
  bucket: Bucket,
): { ok: true; at: Position } | { ok: false; problem: string } {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return { ok: false, problem: "cursor: not a cursor this API gave" };
  }
  if (
    !Array.isArray(v) ||
    v.length !== 4 ||
    !Number.isSafeInteger(v[2]) ||
    !(typeof v[3] === "string" || Number.isSafeInteger(v[3]))
  )
    return { ok: false, problem: "cursor: not a cursor this API gave" };
  if (v[0] !== kind || v[1] !== bucket)
    return { ok: false, problem: `cursor: belongs to ${v[0]} with bucket=${v[1]}` };
  return { ok: true, at: [v[2], v[3]] };
}
