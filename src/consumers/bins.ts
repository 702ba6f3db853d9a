import { topics } from "../core/kafka/topics.ts";
import type { EventBus } from "../events/index.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import type { Alerts } from "../alerts/index.ts";
import { parseBinLevel } from "./parse/bin-level.ts";
import { msgIdHeaderOf } from "./parse/identity.ts";
import { partition, sourceOf, type EngineSink } from "./run-sink.ts";

/**
 * `hello/world` bin levels → `bins`; FULL raises an alert for that bin, a lower level clears it.
 * Once per message: the same Kafka record, or the same `msg_id` header (the bridge's), is skipped.
 */
export function binsSink(engine: StoreEngine, alerts: Alerts, bus: EventBus): EngineSink {
  return {
    name: "bins",
    topics: [topics.helloWorld],
    engine,
    async handle(records, tx) {
      const { ok, rejected } = partition(records, (r) => ({
        ...parseBinLevel(r.value),
        msgId: msgIdHeaderOf(r.headers) ?? null,
      }));
      for (const { record, value } of ok) {
        const fresh = await tx.bins.insert({
          binCount: value.binCount,
          binLevel: value.level,
          full: value.full,
          mTime: value.mTime,
          ts: value.ts,
          ...sourceOf(record),
          msgId: value.msgId,
        });
        if (!fresh) continue; // a redelivery: already handled
        const subject = `bin ${value.binCount}`;
        if (value.full)
          await alerts.raiseIn(
            tx,
            "bin-full",
            subject,
            `${subject} is FULL (${value.mTime})`,
            "warning",
          );
        else await alerts.clearIn(tx, "bin-full", subject);
        bus.publish({ type: "bin" });
      }
      return rejected;
    },
  };
}
