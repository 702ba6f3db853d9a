/** ntfy (ntfy.sh or a self-hosted server): its plain HTTP publish, POST <server>/<topic>. */
import type { z } from "zod";
import type { ntfyChannel } from "../config/schema.ts";
import { post } from "./http-post.ts";
import { noticeText, noticeTitle, type Channel, type Notice } from "./notice.ts";

/** ntfy priorities: 5 urgent, 4 high, 3 default, 2 low */
const priority = (n: Notice) =>
  n.event === "cleared" ? "2" : { critical: "5", warning: "4", info: "3" }[n.severity];

export function ntfy(name: string, c: z.infer<typeof ntfyChannel>): Channel {
  const url = `${c.server.replace(/\/+$/, "")}/${c.topic}`;
  return {
    name,
    type: "ntfy",
    async send(n, signal) {
      const headers: Record<string, string> = {
        "content-type": "text/plain; charset=utf-8",
        // header values must be ASCII-safe: ntfy reads RFC 2047 too, but plain is enough here
        Title: asciiHeader(noticeTitle(n)),
        Priority: priority(n),
        Tags: [n.event === "cleared" ? "white_check_mark" : "warning", n.kind, n.severity]
          .map(asciiHeader)
          .join(","),
      };
      if (c.token) headers.Authorization = `Bearer ${c.token}`;
      await post(url, { body: noticeText(n), headers }, signal);
    },
  };
}

const asciiHeader = (s: string) => s.replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
