/** A port that was free a moment ago on loopback (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: { data() {} },
  });
  const port = server.port;
  server.stop(true);
  return port;
}

/**
 * Polls `url` until it answers 2xx or the deadline passes (`init`: e.g. Bun's `tls: { ca }`);
 * `gone` says why there is no point waiting any longer (the server exited), or undefined.
 */
export async function waitForHttp(
  url: string,
  timeoutMs = 15_000,
  init: RequestInit = {},
  gone: () => string | undefined = () => undefined,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const why = gone();
    if (why !== undefined) throw new Error(`${url} will not be ready: ${why}`);
    try {
      // a port taken by something that accepts and never answers must not hang the wait
      const signal = AbortSignal.timeout(Math.max(1, Math.min(5000, deadline - Date.now())));
      const res = await fetch(url, { signal, ...init });
      if (res.ok) return res;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e;
    }
    await Bun.sleep(100);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms: ${String(last)}`);
}
