/**
 * Slack-compatible incoming webhooks: `{"text": …}`. Mattermost takes the same; Discord takes
 * it at its webhook URL with `/slack` appended.
 */
import type { z } from "zod";
import type { slackChannel } from "../config/schema.ts";
import { post } from "./http-post.ts";
import { noticeText, noticeTitle, type Channel } from "./notice.ts";

export function slack(name: string, c: z.infer<typeof slackChannel>): Channel {
  return {
    name,
    type: "slack",
    async send(n, signal) {
      const text = `*${noticeTitle(n)}*\n${noticeText(n)}`;
      await post(
        c.url,
        { body: JSON.stringify({ text }), headers: { "content-type": "application/json" } },
        signal,
      );
    },
  };
}
