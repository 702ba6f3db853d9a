/** Bins filling up: the seed's text on MQTT `hello/world` (or Kafka, see seed-topics.ts). */
import { binPayload, newBin, stepBin } from "./bin-level.ts";
import { every } from "./clock.ts";
import type { Part, SimContext } from "./context.ts";
import { closeMqtt, connectMqtt } from "./mqtt.ts";

export async function startBins(ctx: SimContext): Promise<Part> {
  const { o, counters } = ctx;
  const rng = ctx.rng.fork("bins");
  const client = await connectMqtt(o, `sim-bins-${process.pid}`);
  let bins = Array.from({ length: o.bins }, (_, i) => newBin(i + 1, rng));
  const ticker = every(o.intervalMs, async () => {
    const now = new Date();
    bins = await Promise.all(
      bins.map(async (bin) => {
        const step = stepBin(bin, rng);
        try {
          await ctx.seed.send(client, "hello/world", null, binPayload(step.level, bin.binNo, now));
          counters.add(step.level === "FULL" ? "binFull" : "bin");
        } catch (e) {
          ctx.fail("bin", (e as Error).message);
        }
        return step.bin;
      }),
    );
  });
  return {
    async stop() {
      await ticker.stop();
      await closeMqtt(client);
    },
  };
}
