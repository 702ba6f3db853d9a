import { describe, expect, test } from "bun:test";
import { sseEvent } from "./sse.ts";

/** The event stream grammar's line split (CRLF, CR or LF), as a browser's EventSource does it. */
const lines = (stream: string) => stream.split(/\r\n|\r|\n/);

describe("sseEvent", () => {
  test("CR, LF and CRLF inside the data never make a line of their own", () => {
    const evil = "<td>x\revent: devices\rdata: <h1>forged</h1>\r\n\rid: 9\nretry: 1</td>";
    const event = sseEvent("devices", evil);
    const fields = lines(event).filter((l) => l !== "");
    expect(fields[0]).toBe("event: devices");
    for (const l of fields.slice(1)) expect(l).toStartWith("data: ");
    expect(event.endsWith("\n\n")).toBe(true);
    expect(event.slice(0, -2)).not.toMatch(/\r|\n\n/); // one event, no blank line inside
  });

  test("a plain multi-line render keeps its lines", () => {
    expect(sseEvent("rooms", "a\nb")).toBe("event: rooms\ndata: a\ndata: b\n\n");
  });
});
