import { topics } from "../core/kafka/topics.ts";
import type { EventBus } from "../events/index.ts";
import type { DeviceReport } from "../store/devices.ts";
import type { Position } from "../store/device-positions.ts";
import { parseCoffee, parseDeviceStatus } from "./parse/coffee.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import { partition, type EngineSink, type SinkRecord } from "./run-sink.ts";

const devicesTopics = [topics.coffee, topics.status];

/** A record's device report, and its position for the map's trail when it has one. */
function reportOf(r: SinkRecord): { report: DeviceReport; position?: Position } {
  const d =
    r.topic === topics.coffee
      ? { ...parseCoffee(r.value), ts: r.timestamp, kind: "coffee" }
      : { ...parseDeviceStatus(r.key, r.value), ts: r.timestamp, kind: "device" };
  const x = "x" in d ? d.x : undefined;
  const y = "y" in d ? d.y : undefined;
  return {
    report: {
      id: d.id,
      kind: d.kind,
      online: d.status !== "offline",
      ts: d.ts,
      x,
      y,
      status: d.status === "online" || d.status === "offline" ? undefined : d.status,
    },
    // the map's trail: the last few positions of each coffee device
    position: x !== undefined && y !== undefined ? { ts: d.ts, x, y } : undefined,
  };
}

/** Coffee devices' positions and status, and every device's retained online/offline status. */
export function devicesSink(engine: StoreEngine, bus: EventBus): EngineSink {
  return {
    name: "devices",
    topics: devicesTopics,
    engine,
    async handle(records, tx) {
      const { ok, rejected } = partition(records, reportOf);
      for (const { value } of ok) {
        await tx.devices.report(value.report);
        if (value.position) await tx.positions.add(value.report.id, value.position);
        bus.publish({ type: "device" });
      }
      return rejected;
    },
  };
}
