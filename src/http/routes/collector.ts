/**
 * The seeds' HTTP collector, kept exactly: each accepted request is produced to its Kafka topic
 * (acks=-1) before the 2xx; Kafka unreachable → 503 with the reason; a bad body → 400.
 */
import { Hono, type Context } from "hono";
import type { RecordProducer } from "../../bus/index.ts";
import * as command from "../../contracts/command.ts";
import * as entrance from "../../contracts/entrance.ts";
import * as room from "../../contracts/room.ts";
import * as roomRule from "../../contracts/room-rule.ts";
import type { EventBus } from "../../events/index.ts";
import type { Logger } from "../../core/log/index.ts";
import type { StoreEngine } from "../../store/engine/index.ts";
import { kafkaRefusal } from "./kafka-refusal.ts";
import { deviceIdProblem } from "../../core/ids/device-id.ts";
import { bodyKind, unsupported } from "../protect/index.ts";
import { jsonBody, parseWith } from "./validate.ts";
import { fastRoomStatus } from "../../contracts/room-plain.ts";

export interface Commands {
  /** a retained QoS 1 MQTT message on `iot/<id>/command` */
  send(deviceId: string, status: command.DeviceCommand): Promise<void>;
}

export function collectorRoutes(deps: {
  producer: RecordProducer;
  /** a device's desired status and its command history (the store engine: SQLite or PostgreSQL) */
  store: StoreEngine;
  commands: Commands;
  bus?: EventBus;
  log: Logger;
}) {
  const app = new Hono();
  const produce = async (topic: string, key: string, value: unknown) => {
    await deps.producer.send(topic, [{ key, value: JSON.stringify(value) }]);
  };
  const unavailable = (e: unknown) => {
    const { message, storage } = kafkaRefusal(e);
    // a full disk is logged once by the broker's disk watch, not once per request
    (storage ? deps.log.debug : deps.log.warn)("kafka produce failed", { err: e });
    return { message };
  };

  const onEntrance = async (c: Context) => {
    const body = await jsonBody(c, entrance.requestSchema);
    if (!body.ok) return body.res;
    const { key, value: record } = entrance.recordOf(body.data);
    try {
      await produce(entrance.topic, key, record);
    } catch (e) {
      return c.json(unavailable(e), 503);
    }
    return c.json({ message: "ok", ...record }, 200);
  };
  app.post("/entrance", onEntrance);
  app.post("/", onEntrance); // one seed posts entrance events to the root

  app.post("/office_status", async (c) => {
    const body = await jsonBody(c, room.schema, fastRoomStatus);
    if (!body.ok) return body.res;
    try {
      await produce(room.topic, room.keyOf(body.data), body.data);
    } catch (e) {
      return c.json(unavailable(e), 503);
    }
    return c.json({ message: "ok" }, 200);
  });

  app.post("/office_rule", async (c) => {
    const refused = unsupported(c, ["json", "form"]);
    if (refused) return refused;
    const body = isForm(c)
      ? parseWith(roomRule.schema, ruleFromForm(await c.req.parseBody()))
      : await jsonBody(c, roomRule.schema);
    if (!body.ok) return body.res;
    try {
      await produce(roomRule.topic, roomRule.keyOf(body.data), body.data);
    } catch (e) {
      return c.json(unavailable(e), 503);
    }
    return c.json({ message: "ok" }, 200);
  });

  app.post("/status/:device_id", async (c) => {
    const id = c.req.param("device_id");
    const badId = deviceIdProblem(id); // it becomes an MQTT topic level and a Kafka key
    if (badId) return c.json({ message: `device_id: ${badId}` }, 400);
    const refused = unsupported(c, ["json", "form"]);
    if (refused) return refused;
    // JSON from scripts, a form from the dashboard
    const parsed = command.requestSchema.safeParse(await bodyOf(c));
    if (!parsed.success) return c.json({ message: "Invalid status" }, 400);
    const { status } = parsed.data;
    await deps.store.transaction((tx) => tx.devices.desire(id, status));
    deps.bus?.publish({ type: "device" });
    // MQTT devices read the retained command, Kafka devices the compacted-by-key `iot.command`
    const [mqttSent, kafkaSent] = await Promise.allSettled([
      deps.commands.send(id, status),
      deps.producer.send(command.topic, [{ key: id, value: status }]),
    ]);
    const failed = [
      mqttSent.status === "rejected" ? `the device broker: ${reason(mqttSent.reason)}` : "",
      kafkaSent.status === "rejected" ? `Kafka: ${reason(kafkaSent.reason)}` : "",
    ].filter(Boolean);
    // the device's command history (its page): what was asked and whether it went out
    await deps.store.transaction((tx) =>
      tx.apiWrites.addCommand({
        deviceId: id,
        ts: Date.now(),
        status,
        code: failed.length > 0 ? 503 : 200,
        problem: failed.length > 0 ? failed.join("; ") : null,
      }),
    );
    deps.bus?.publish({ type: "device" });
    if (failed.length > 0) {
      deps.log.warn("device command not sent", { id, status, failed: failed.join("; ") });
      return c.json({ message: `could not reach ${failed.join("; ")}` }, 503);
    }
    return c.json({ message: `Status of ${id} updated to ${status}` }, 200);
  });

  return app;
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

const isForm = (c: Context) => bodyKind(c) === "form";

async function bodyOf(c: Context): Promise<Record<string, unknown> | null> {
  try {
    return isForm(c) ? await c.req.parseBody() : await c.req.json();
  } catch {
    return null;
  }
}

/** The dashboard's rule form, flattened, as the seed's JSON body. */
function ruleFromForm(f: Record<string, unknown>) {
  const n = (v: unknown) => (v === undefined || v === "" ? null : Number(v));
  const metric = String(f.metric ?? "temperature");
  return {
    room_no: n(f.room_no),
    value: {
      schedule_id: n(f.schedule_id),
      order: f.order,
      condition: { [metric]: { agg_type: f.agg_type, up: n(f.up), down: n(f.down) } },
    },
  };
}
