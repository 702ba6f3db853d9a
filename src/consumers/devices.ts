import { sql } from "drizzle-orm";
import { topics } from "../core/kafka/topics.ts";
import type { EventBus } from "../events/index.ts";
import type { Db } from "../store/index.ts";
import { devices } from "../store/schema.ts";
import { parseCoffee, parseDeviceStatus } from "./parse/coffee.ts";
import { partition, type Sink } from "./run-sink.ts";

/** Coffee devices' positions and status, and every device's retained online/offline status. */
export function devicesSink(db: Db, bus: EventBus): Sink {
  return {
    name: "devices",
    topics: [topics.coffee, topics.status],
    handle(records) {
      const { ok, rejected } = partition(records, (r) =>
        r.topic === topics.coffee
          ? { ...parseCoffee(r.value), ts: r.timestamp, kind: "coffee" }
          : { ...parseDeviceStatus(r.key, r.value), ts: r.timestamp, kind: "device" },
      );
      for (const { value: d } of ok) {
        const presence = d.status === "offline" ? false : true;
        const status = d.status === "online" || d.status === "offline" ? undefined : d.status;
        const set = {
          kind: d.kind,
          online: presence,
          lastSeen: sql`max(coalesce(${devices.lastSeen}, 0), ${d.ts})`,
          ...("x" in d && d.x !== undefined ? { x: d.x } : {}),
          ...("y" in d && d.y !== undefined ? { y: d.y } : {}),
          ...(status ? { status } : {}),
        };
        db.insert(devices)
          .values({
            id: d.id,
            kind: d.kind,
            online: presence,
            lastSeen: d.ts,
            x: "x" in d ? d.x : undefined,
            y: "y" in d ? d.y : undefined,
            status,
          })
          .onConflictDoUpdate({ target: devices.id, set })
          .run();
        bus.publish({
          type: "device",
          id: d.id,
          x: "x" in d ? d.x : undefined,
          y: "y" in d ? d.y : undefined,
          status,
          online: presence,
        });
      }
      return rejected;
    },
  };
}
