/**
 * One server-sent event. CR, LF and CRLF all end a line in SSE, so every line of the data —
 * however it ends — gets its own `data:` field: a CR inside a device id (or anything else a
 * view shows) can then never end the event early or start a forged one. The browser joins the
 * fields with LF, which HTML reads as the same white space.
 */
export function sseEvent(name: string, data: string): string {
  if (!/^[\w-]+$/.test(name)) throw new Error(`bad SSE event name ${JSON.stringify(name)}`);
  const lines = data.split(/\r\n|\r|\n/).map((l) => `data: ${l}`);
  return `event: ${name}\n${lines.join("\n")}\n\n`;
}
