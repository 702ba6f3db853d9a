/**
 * A camera: JPEG snapshots on `iot/<id>/image` (QoS 1) and video frames on `iot/<id>/video`
 * (QoS 0: a late frame is worth nothing), which the server's /video_feed?device=<id> plays — or,
 * with `--video-path kafka`, raw JPEG records on Kafka `rtsp-stream` as the seed's RTSP producer
 * sends them, which plain /video_feed plays. The picture is the Pi agent's own test pattern with
 * the time stamped, encoded by sharp. Online/offline on `iot/<id>/status`, retained, as a device.
 */
import { finishJpeg, testPattern } from "../core/image/draw/index.ts";
import { loadSharp } from "../core/image/sharp/index.ts";
import { topics } from "../core/kafka/topics.ts";
import { every, type Ticker } from "./clock.ts";
import type { Part, SimContext } from "./context.ts";
import { connectProducer } from "./kafka.ts";
import { closeMqtt, connectMqtt } from "./mqtt.ts";

export const cameraId = (ctx: SimContext) => ctx.o.device?.id ?? "sim-cam-1";

export async function startCamera(ctx: SimContext): Promise<Part> {
  const { o, counters } = ctx;
  const id = cameraId(ctx);
  const sharp = await loadSharp();
  const producer =
    o.video && o.videoPath === "kafka" ? await connectProducer(o, ctx.log) : undefined;
  // like `iot device`: a retained online status, and offline as its Last Will
  const status = (s: string) => JSON.stringify({ status: s });
  const will = {
    topic: `iot/${id}/status`,
    payload: Buffer.from(status("offline")),
    qos: 1 as const,
    retain: true,
  };
  const client = await connectMqtt(o, `sim-camera-${id}-${process.pid}`, will).catch(async (e) => {
    await producer?.disconnect();
    throw e;
  });
  await client.publishAsync(will.topic, status("online"), { qos: 1, retain: true });
  const picture = (width: number, height: number, quality: number) => {
    const at = new Date();
    return finishJpeg(sharp, testPattern(at, width, height), { width, height, at, quality });
  };
  const sendFrame = async (jpeg: Buffer) => {
    if (producer)
      await producer.send({ topic: topics.rtspStream, acks: 1, messages: [{ value: jpeg }] });
    else await client.publishAsync(`iot/${id}/video`, jpeg, { qos: 0 });
  };
  const tickers: Ticker[] = [];
  if (o.camera) {
    tickers.push(
      every(o.imageIntervalMs, async () => {
        try {
          await client.publishAsync(`iot/${id}/image`, await picture(500, 500, 85), { qos: 1 });
          counters.add("images");
        } catch (e) {
          ctx.fail("image", (e as Error).message);
        }
      }),
    );
  }
  if (o.video) {
    tickers.push(
      every(Math.round(1000 / o.videoFps), async () => {
        try {
          await sendFrame(await picture(320, 240, 70));
          counters.add("frames");
        } catch (e) {
          ctx.fail("video", (e as Error).message);
        }
      }),
    );
  }
  return {
    async stop() {
      await Promise.all(tickers.map((t) => t.stop()));
      await Promise.race([
        client.publishAsync(will.topic, status("offline"), { qos: 1, retain: true }),
        Bun.sleep(2000),
      ]).catch(() => {});
      await closeMqtt(client);
      await producer?.disconnect();
    },
  };
}
