/**
 * Floods that used to grow `iot serve` without limit, against a real process, its memory read
 * from /proc/<pid>/status: 30,000 retained 20 KB MQTT messages (600 MB of payload; before the
 * retained budgets 20,000 took RSS to 518 MB) and 120 live video sources sending 4 MiB frames
 * (before the video hub's bounds 100 of them took it to 509 MB, kept forever).
 */
import { describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { readFileSync } from "node:fs";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const MB = 1024 * 1024;
/** more than the 100 × 4 MiB that took RSS to 509 MB (each 4 MiB frame is slow through Kafka) */
const SOURCES = 120;
/** more than the 20,000 that took RSS to 518 MB (each one is fsynced: slow on a busy disk) */
const RETAINED = 30_000;

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1];
  return Number(kb) / 1024;
}

async function metric(serve: ServeProcess, line: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${serve.httpPort}/metrics`)).text();
  const m = new RegExp(`^${line.replace(/[{}"]/g, "\\$&")} (\\d+)$`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
}

/** whether `/video_feed?device=<source>` starts with a frame (the hub holds one) */
async function hasFrame(serve: ServeProcess, source: string): Promise<boolean> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 1000);
  try {
    const res = await fetch(`http://127.0.0.1:${serve.httpPort}/video_feed?device=${source}`, {
      signal: ac.signal,
    });
    const first = await res.body!.getReader().read();
    return (first.value?.length ?? 0) > 0;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

/** runs `serve` for the body, samples its RSS every 200 ms, and always kills it */
async function withServe<T>(
  body: (serve: ServeProcess, peak: () => number) => Promise<T>,
): Promise<T> {
  const dirs = tempDirs("iot-memory-bounds-");
  // the Kafka log's fsync policy is not what is measured here: spare the shared disk
  const serve = await startServeProcess({ dataDir: dirs.make(), args: ["--kafka-fsync", "1000"] });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(serve.proc.pid));
    } catch {}
  }, 200);
  try {
    return await body(serve, () => peak);
  } finally {
    clearInterval(sampler);
    serve.proc.kill("SIGKILL");
    await serve.proc.exited;
    dirs.cleanup();
  }
}

describe("memory bounds of iot serve under floods", () => {
  test(`${RETAINED} retained 20 KB messages: retained bytes stay in budget, RSS bounded`, async () => {
    await withServe(async (serve, peak) => {
      const baseline = rssMb(serve.proc.pid);
      const payload = Buffer.alloc(20 * 1024, "r");
      // 8 publishers at once: their retained messages share the journal's fsyncs
      await Promise.all(
        Array.from({ length: 8 }, async (_, k) => {
          const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
            reconnectPeriod: 0,
          });
          try {
            const inFlight = new Set<Promise<unknown>>();
            for (let i = k; i < RETAINED; i += 8) {
              // distinct prefixes (flood/<i>) get past the per-device budget: the total one holds
              const p = c.publishAsync(`flood/${i}`, payload, { qos: 1, retain: true });
              inFlight.add(p);
              p.finally(() => inFlight.delete(p));
              if (inFlight.size >= 50) await Promise.race(inFlight);
            }
            await Promise.all(inFlight);
          } finally {
            await c.endAsync(true);
          }
        }),
      );
      // idle ~80 MB + the 64 MiB budget + the garbage of journalling 600 MB, given a few seconds
      // to be collected (f597259 keeps all 600 MB: 712 MB, for good)
      const rss = await settledRssMb(serve.proc.pid, 450);
      console.log(
        `retained flood: RSS ${baseline.toFixed(0)} MB idle → ${rss.toFixed(0)} MB after, peak ${peak().toFixed(0)} MB`,
      );
      expect(rss).toBeLessThan(450);
      const retainedBytes = await metric(serve, "iot_mqtt_retained_bytes");
      expect(retainedBytes).toBeLessThanOrEqual(64 * MB);
      expect(await metric(serve, 'iot_mqtt_retained_evicted_total{reason="total budget"}')).toBe(
        RETAINED - (await metric(serve, "iot_mqtt_retained_messages")),
      );
    });
  }, 400_000);

  test(`${SOURCES} video sources × 4 MiB frames: sources and frame sizes bounded, RSS bounded`, async () => {
    await withServe(async (serve, peak) => {
      const baseline = rssMb(serve.proc.pid);
      const frame = (bytes: number) => {
        const f = Buffer.alloc(bytes, "A"); // no newline or colon: kcat's delimiters
        f[0] = 0xff;
        f[1] = 0xd8;
        return f;
      };
      /** keyed frames to iot.video through kcat, one `key:value` line each */
      const produce = async (frames: Array<[string, number]>) => {
        const kcat = Bun.spawn(
          ["kcat", "-b", serve.kafkaAddress, "-P", "-t", "iot.video", "-K:", "-z", "none"].concat([
            "-X",
            "message.max.bytes=8388608",
          ]),
          { stdin: "pipe", stdout: "ignore", stderr: "inherit" },
        );
        for (const [key, bytes] of frames) {
          kcat.stdin.write(
            Buffer.concat([Buffer.from(`${key}:`), frame(bytes), Buffer.from("\n")]),
          );
          await kcat.stdin.flush();
        }
        await kcat.stdin.end();
        expect(await kcat.exited).toBe(0);
      };
      // the video consumer reads live only: wait until it sees frames
      await waitFor(
        async () => {
          await produce([["probe", 1024]]);
          return hasFrame(serve, "probe");
        },
        60_000,
        "the video consumer",
      );
      const frames: Array<[string, number]> = [];
      for (let i = 0; i < SOURCES; i++) frames.push([`cam-${i}`, 4 * MB]);
      // some larger than the frame limit, which are dropped; then a marker to wait for
      for (let i = 0; i < 4; i++) frames.push([`huge-${i}`, 6 * MB]);
      frames.push(["last", 1024]);
      await produce(frames);
      await waitFor(() => hasFrame(serve, "last"), 120_000, "the consumer to reach the last frame");
      const rss = await settledRssMb(serve.proc.pid, 400); // f597259 keeps every source: 637 MB
      console.log(
        `video flood: RSS ${baseline.toFixed(0)} MB idle → ${rss.toFixed(0)} MB after, peak ${peak().toFixed(0)} MB`,
      );
      expect(rss).toBeLessThan(400);
      // the last frames may still be on their way through the consumer
      await waitFor(
        async () =>
          (await metric(serve, 'iot_video_frames_dropped_total{reason="too large"}')) === 4,
        30_000,
        "the 4 frames over the size limit counted as dropped",
      );
      expect(await metric(serve, "iot_video_sources")).toBe(32);
      expect(await metric(serve, "iot_video_bytes")).toBeLessThanOrEqual(32 * 4 * MB);
      expect(
        await metric(serve, 'iot_video_sources_evicted_total{reason="max sources"}'),
      ).toBeGreaterThanOrEqual(SOURCES - 32);
    });
  }, 300_000);
});

/** RSS once it has come under `boundMb` (the garbage of a burst collected), or after 15 s. */
async function settledRssMb(pid: number, boundMb: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  let rss = rssMb(pid);
  while (rss >= boundMb && Date.now() < deadline) {
    await Bun.sleep(250);
    rss = rssMb(pid);
  }
  return rss;
}
