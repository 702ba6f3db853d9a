/** Channels by name, built from the config. */
import type { ChannelConfig } from "../config/schema.ts";
import { email } from "./email.ts";
import { mqttTopic, type MqttPublish } from "./mqtt.ts";
import type { Channel } from "./notice.ts";
import { ntfy } from "./ntfy.ts";
import { slack } from "./slack.ts";
import { webhook } from "./webhook.ts";

export type { Channel, Notice } from "./notice.ts";
export type { MqttPublish } from "./mqtt.ts";
export { noticeText, noticeTitle, noticeJson } from "./notice.ts";

export function buildChannel(name: string, c: ChannelConfig, mqtt?: MqttPublish): Channel {
  switch (c.type) {
    case "webhook":
      return webhook(name, c);
    case "ntfy":
      return ntfy(name, c);
    case "slack":
      return slack(name, c);
    case "email":
      return email(name, c);
    case "mqtt":
      return mqttTopic(name, c, mqtt);
  }
}
