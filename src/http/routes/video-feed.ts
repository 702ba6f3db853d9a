/**
 * The seed's MJPEG page: the video hub (a consumer) keeps the newest frame per source; this
 * route streams them to a viewer as they come.
 */
import { Hono } from "hono";
import type { VideoHub } from "../../consumers/video.ts";
import { topics } from "../../core/kafka/topics.ts";

/** `GET /video_feed[?device=<id>]`: `multipart/x-mixed-replace; boundary=frame`, like the seed. */
export function videoRoutes(hub: VideoHub) {
  return new Hono().get("/video_feed", (c) => {
    const source = c.req.query("device") ?? topics.rtspStream;
    const signal = c.req.raw.signal;
    const part = (f: Buffer) =>
      Buffer.concat([
        Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${f.length}\r\n\r\n`),
        f,
        Buffer.from("\r\n"),
      ]);
    const stream = new ReadableStream<Uint8Array>(
      {
        async start(controller) {
          const first = hub.newest(source);
          if (first) controller.enqueue(part(first));
        },
        async pull(controller) {
          const f = await hub.next(source, signal);
          if (f === null) return controller.close();
          controller.enqueue(part(f));
        },
      },
      { highWaterMark: 1 },
    );
    return new Response(stream, {
      headers: {
        "content-type": "multipart/x-mixed-replace; boundary=frame",
        "cache-control": "no-store",
      },
    });
  });
}
