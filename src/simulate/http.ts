/**
 * The collector's HTTP routes, as a script would call them: JSON bodies, a bearer token in
 * protected mode. A failure is returned, never thrown, so one refused post does not stop a part.
 */
export interface HttpClient {
  post(path: string, body: unknown): Promise<{ ok: boolean; status: number; text: string }>;
}

export function httpClient(base: string, token: string): HttpClient {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return {
    async post(path, body) {
      try {
        const res = await fetch(base + path, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        return { ok: res.ok, status: res.status, text: await res.text() };
      } catch (e) {
        return { ok: false, status: 0, text: (e as Error).message };
      }
    },
  };
}
