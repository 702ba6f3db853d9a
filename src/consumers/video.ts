/**
 * Live video: the newest JPEG frame per source, fanned out to MJPEG viewers. A viewer that is
 * slower than the camera skips frames — it always gets the latest one, never a growing queue.
 */
import { Hono } from "hono";
import { topics } from "../core/kafka/topics.ts";
import type { Sink } from "./run-sink.ts";

type Waiter = (frame: Buffer) => void;

export class VideoHub {
  private latest = new Map<string, Buffer>();
  private waiters = new Map<string, Set<Waiter>>();
  frames = 0;

  publish(source: string, frame: Buffer): void {
    this.frames++;
    this.latest.set(source, frame);
    const set = this.waiters.get(source);
    if (!set) return;
    this.waiters.delete(source);
    for (const w of set) w(frame);
  }

  newest(source: string): Buffer | undefined {
    return this.latest.get(source);
  }

  sources(): string[] {
    return [...this.latest.keys()];
  }

  /** The next frame after now (one waiter per viewer; nothing queues up). */
  next(source: string, signal: AbortSignal): Promise<Buffer | null> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(null);
      let set = this.waiters.get(source);
      if (!set) this.waiters.set(source, (set = new Set()));
      const waiter: Waiter = (f) => {
        signal.removeEventListener("abort", onAbort);
        resolve(f);
      };
      const onAbort = () => {
        set!.delete(waiter);
        resolve(null);
      };
      set.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** The seed's `rtsp-stream` (raw JPEG per record) and devices' `iot.video`, live only. */
export function videoSink(hub: VideoHub): Sink {
  return {
    name: "video",
    topics: [topics.rtspStream, topics.video],
    fromBeginning: false,
    handle(records) {
      for (const r of records) {
        if (r.value.length < 4 || r.value[0] !== 0xff || r.value[1] !== 0xd8) continue; // not a JPEG: skip the frame
        hub.publish(
          r.topic === topics.rtspStream ? topics.rtspStream : (r.key ?? "unknown"),
          r.value,
        );
      }
      return [];
    },
  };
}

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
