/**
 * Where the seed topics (`coffee`, `hello/world`) go. Over MQTT, as the seeds' paho clients
 * publish them — but in protected mode a device token may publish only under `iot/<id>/`, so
 * with `--kafka-token` they go to the Kafka topics the bridge would have written (`coffee` keyed
 * by the device id, `hello.world`), as a producer with an admin Kafka token may (a device token
 writes only records about its own device).
 */
import type { MqttClient } from "mqtt";
import { topics } from "../core/kafka/topics.ts";
import type { Logger } from "../core/log/index.ts";
import { connectProducer } from "./kafka.ts";
import type { SimulateOptions } from "./options.ts";

export interface SeedOut {
  via: "mqtt" | "kafka";
  /** `mqttTopic` is `coffee` or `hello/world`; `key` the Kafka key (the coffee device id) */
  send(client: MqttClient, mqttTopic: string, key: string | null, payload: string): Promise<void>;
  close(): Promise<void>;
}

const kafkaTopic: Record<string, string> = {
  coffee: topics.coffee,
  "hello/world": topics.helloWorld,
};

export async function seedOut(o: SimulateOptions, log: Logger): Promise<SeedOut> {
  if (!o.kafkaAuth) {
    return {
      via: "mqtt",
      async send(client, topic, _key, payload) {
        await client.publishAsync(topic, payload, { qos: 1 });
      },
      async close() {},
    };
  }
  const producer = await connectProducer(o, log);
  return {
    via: "kafka",
    async send(_client, topic, key, payload) {
      await producer.send({
        topic: kafkaTopic[topic] ?? topic,
        acks: -1,
        messages: [{ key, value: payload }],
      });
    },
    close: () => producer.disconnect(),
  };
}
