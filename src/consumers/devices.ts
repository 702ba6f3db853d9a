import { topics } from "../core/kafka/topics.ts";
import type { EventBus } from "../events/index.ts";
import type { Db } from "../store/index.ts";
import { deviceRows } from "../store/devices.ts";
import { devicePositionRows } from "../store/device-positions.ts";
import { parseCoffee, parseDeviceStatus } from "./parse/coffee.ts";
import { partition, type Sink } from "./run-sink.ts";

/** Coffee devices' positions and status, and every device's retained online/offline status. */
export function devicesSink(db: Db, bus: EventBus): Sink {
  const devices = deviceRows(db);
  const positions = devicePositionRows(db);
  return {
    name: "devices",
    topics: [topics.coffee, topics.status],
    store: db,
    handle(records) {
      const { ok, rejected } = partition(records, (r) =>
        r.topic === topics.coffee
          ? { ...parseCoffee(r.value), ts: r.timestamp, kind: "coffee" }
          : { ...parseDeviceStatus(r.key, r.value), ts: r.timestamp, kind: "device" },
      );
      for (const { value: d } of ok) {
        devices.report({
          id: d.id,
          kind: d.kind,
          online: d.status !== "offline",
          ts: d.ts,
          x: "x" in d ? d.x : undefined,
          y: "y" in d ? d.y : undefined,
          status: d.status === "online" || d.status === "offline" ? undefined : d.status,
        });
        // the map's trail: the last few positions of each coffee device
        if ("x" in d && "y" in d && d.x !== undefined && d.y !== undefined)
          positions.add(d.id, { ts: d.ts, x: d.x, y: d.y });
        bus.publish({ type: "device" });
      }
      return rejected;
    },
  };
}
