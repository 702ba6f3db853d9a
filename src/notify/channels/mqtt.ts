/** An MQTT topic (`iot/alerts`) on the embedded broker, or the external one in bridge mode. */
import type { z } from "zod";
import type { mqttChannel } from "../config/schema.ts";
import { noticeJson, type Channel } from "./notice.ts";

/** QoS 1 publish; resolves once the broker has it. */
export type MqttPublish = (topic: string, payload: string) => Promise<void>;

export function mqttTopic(
  name: string,
  c: z.infer<typeof mqttChannel>,
  publish: MqttPublish | undefined,
): Channel {
  return {
    name,
    type: "mqtt",
    async send(n, signal) {
      if (!publish) throw new Error("no MQTT broker in this process");
      await Promise.race([
        publish(c.topic, JSON.stringify(noticeJson(n))),
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error("MQTT publish timed out"))),
        ),
      ]);
    },
  };
}
