/**
 * `iot serve --role consumers`: every sink as its own consumer group, sharing one dead-letter
 * producer. Several processes with this role split the partitions between them.
 */
import type { KafkaBus } from "../bus/index.ts";
import type { EventBus } from "../events/index.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import type { DiskReporter } from "../disk/reporter.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import { Alerts } from "../alerts/index.ts";
import { binsSink } from "./bins.ts";
import { devicesSink } from "./devices.ts";
import { imagesSink } from "./images.ts";
import { DeviceClocks } from "./parse/device-time.ts";
import { defaultPresence, type PresenceOptions } from "./presence/model.ts";
import { presenceSink } from "./presence/sink.ts";
import { readingsSink } from "./readings.ts";
import { defaultRuleOptions, type RuleOptions } from "./rooms/rule-engine.ts";
import { roomsSink } from "./rooms/sink.ts";
import { runSink, type RunningSink } from "./run-sink.ts";
import { VideoHub, videoSink } from "./video.ts";
import type { ConsumerWatch } from "./watch.ts";

export { VideoHub } from "./video.ts";
export { Alerts } from "../alerts/index.ts";
export { ConsumerWatch, defaultWatch, type WatchOptions } from "./watch.ts";
export { defaultPresence, type PresenceOptions } from "./presence/model.ts";

export interface ConsumerOptions {
  kafka: KafkaBus;
  /** where every sink writes: the SQLite file, or PostgreSQL with `--database-url` */
  engine: StoreEngine;
  dataDir: string;
  bus: EventBus;
  hub: VideoHub;
  log: Logger;
  metrics: MetricsRegistry;
  presence?: PresenceOptions;
  /** told when a sink's writes are refused by a full disk (they are retried) */
  disk?: DiskReporter;
  rules?: RuleOptions;
  /** told of each consumer's restarts, progress and lag (for /healthz) */
  watch?: ConsumerWatch;
  /** a larger record value is dead-lettered in reduced form */
  maxRecordBytes?: number;
}

export async function startConsumers(o: ConsumerOptions) {
  const alerts = new Alerts(o.engine, o.bus);
  const presenceOpts = o.presence ?? defaultPresence;
  const presence = presenceSink(o.engine, alerts, o.bus, presenceOpts);
  const clocks = new DeviceClocks({ log: o.log.child("clock"), metrics: o.metrics });
  const sinks = [
    readingsSink(o.engine, o.bus, clocks),
    imagesSink(o.engine, o.dataDir, o.bus, clocks),
    binsSink(o.engine, alerts, o.bus),
    devicesSink(o.engine, o.bus),
    presence.sink,
    roomsSink(o.engine, alerts, o.bus, o.rules ?? defaultRuleOptions),
    videoSink(o.hub),
  ];
  const deadLetters = o.kafka.producer();
  await deadLetters.connect();
  const running: RunningSink[] = [];
  for (const sink of sinks) {
    running.push(
      await runSink(sink, {
        kafka: o.kafka,
        deadLetters,
        log: o.log.child(sink.name),
        metrics: o.metrics,
        disk: o.disk,
        watch: o.watch,
        maxRecordBytes: o.maxRecordBytes,
      }),
    );
  }
  // time away keeps growing while someone is out: re-check without waiting for an event (often
  // enough that a short --presence-min-away-seconds is noticed within that time, too)
  const every = Math.max(1000, Math.min(60_000, presenceOpts.minAwayMs / 4));
  const timer = setInterval(() => {
    presence.evaluate(Date.now()).catch((e) => {
      // another process wrote the store meanwhile (SQLite refuses the stale write): next tick
      o.log.debug("presence re-check deferred", { err: e });
    });
  }, every);
  timer.unref();
  return {
    alerts,
    async stop() {
      clearInterval(timer);
      await Promise.all(running.map((r) => r.stop()));
      await deadLetters.close();
    },
  };
}
