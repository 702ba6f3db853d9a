import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import type { EventBus } from "../events/index.ts";
import { ChangeRelay, kafkaChangeTransport } from "../events/relay/index.ts";
import { runs, type ServeContext } from "./components.ts";
import type { ServeOptions } from "./options.ts";

/** at most this often a process sends its changes: well under the one second a page may lag */
export const changeIntervalMs = 100;

/**
 * auto: on whenever another iot process may exist — a split role, or a Kafka shared with others.
 * A lone `--role all` on its own broker has nobody to tell (and spares its disk the records).
 */
export function changeFeedOn(opts: ServeOptions): boolean {
  if (opts.changeFeed !== "auto") return opts.changeFeed === "on";
  return opts.role !== "all" || opts.kafkaBrokers.length > 0;
}

/**
 * Every role sends what changed here; a process serving the dashboard also takes in the others'.
 * Started in the background and retried: a broker still starting must not hold up the rest.
 */
export function startChangeFeed(ctx: ServeContext, kafka: Kafka, bus: EventBus): void {
  const log = ctx.log.child("changes");
  const receive = runs(ctx.opts, "collector");
  let relay: ChangeRelay | null = null;
  let stopped = false;
  let state: "starting" | "up" | "degraded" = "starting";
  let error: string | undefined;
  const start = async () => {
    while (!stopped) {
      let attempt: ChangeRelay | null = null;
      try {
        const transport = await kafkaChangeTransport(kafka, log);
        attempt = new ChangeRelay(
          bus,
          transport,
          { origin: randomUUID(), send: true, receive, intervalMs: changeIntervalMs },
          log,
          ctx.metrics,
        );
        await attempt.start();
        if (stopped) return void (await attempt.stop());
        relay = attempt;
        state = "up";
        error = undefined;
        return;
      } catch (e) {
        // pages served here (or elsewhere) do not update live until it starts: say so
        state = "degraded";
        error = (e as Error).message;
        log.warn("change feed not started; retrying in 5 s", { err: e });
        await attempt?.stop().catch(() => {});
        await Bun.sleep(5000);
      }
    }
  };
  void start();
  ctx.health.register("changes", () => ({ state, detail: { receive, error } }));
  ctx.onStop("changes", async () => {
    stopped = true; // a start still under way stops what it started
    await relay?.stop();
  });
}
