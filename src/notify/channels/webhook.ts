/** Generic webhook: the notice as JSON, signed (signature.ts). */
import type { z } from "zod";
import type { webhookChannel } from "../config/schema.ts";
import { post } from "./http-post.ts";
import { noticeJson, type Channel } from "./notice.ts";
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./signature.ts";

export function webhook(
  name: string,
  c: z.infer<typeof webhookChannel>,
  now: () => number = Date.now,
): Channel {
  return {
    name,
    type: "webhook",
    async send(n, signal) {
      const sentAt = Math.floor(now() / 1000);
      const body = JSON.stringify({ ...noticeJson(n), sent_at: sentAt });
      await post(
        c.url,
        {
          body,
          headers: {
            "content-type": "application/json",
            "user-agent": "iot-notify",
            [SIGNATURE_HEADER]: sign(body, c.secret),
            [TIMESTAMP_HEADER]: String(sentAt),
            "X-Iot-Event": n.event,
            "X-Iot-Delivery": n.eventId,
          },
        },
        signal,
      );
    },
  };
}
