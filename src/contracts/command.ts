/**
 * Topic `iot.command`: the status a device is told to take, from `POST /status/<device_id>`
 * `{"status":"Active"|"Inactive"}` (or the dashboard's form). Keyed by the device id and
 * compacted by key: a device reading it from the beginning gets its latest command. The same
 * command goes out as a retained MQTT message on `iot/<id>/command`. The value is the bare
 * word, not JSON.
 */
import { z } from "zod";
import { topics } from "../core/kafka/topics.ts";
import { type TopicContract } from "./contract.ts";

export const topic = topics.deviceCommand;

export const schema = z
  .enum(["Active", "Inactive"])
  .describe("The status the device is told to take: the bare word, as the record's value");

export type DeviceCommand = z.infer<typeof schema>;

/** What `POST /status/<device_id>` accepts (anything else: 400 `Invalid status`, as the seed). */
export const requestSchema = z.object({ status: schema }).describe("A device command");

export const command: TopicContract = {
  topic,
  schema,
  key: "the device id",
  msgId: "none (a command is its device's latest state, compacted by key)",
};
