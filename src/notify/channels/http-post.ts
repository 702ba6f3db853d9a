/**
 * One HTTP POST with a time limit. Failures are worded without the URL's path or query: a
 * Slack URL is itself a credential, and reasons are stored, logged and shown.
 */
export async function post(
  url: string,
  init: { body: string; headers: Record<string, string> },
  signal: AbortSignal,
): Promise<void> {
  const where = new URL(url).host;
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", ...init, signal, redirect: "error" });
  } catch (e) {
    const err = e as { name?: string; code?: string };
    if (err.name === "TimeoutError" || err.name === "AbortError")
      throw new Error(`no answer from ${where} in time`);
    throw new Error(`cannot reach ${where}${err.code ? ` (${err.code})` : ""}`);
  }
  // read it all, so the connection can be reused; a receiver's words, shortened
  const text = (await res.text().catch(() => "")).slice(0, 120).replace(/\s+/g, " ").trim();
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${where}${text ? `: ${text}` : ""}`);
}
