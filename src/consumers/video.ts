/**
 * Live video: the newest JPEG frame per source, fanned out to MJPEG viewers. A viewer that is
 * slower than the camera skips frames — it always gets the latest one, never a growing queue.
 */
import { topics } from "../core/kafka/topics.ts";
import type { Sink } from "./run-sink.ts";

type Waiter = (frame: Buffer) => void;

export interface VideoLimits {
  /** sources kept; a new one evicts the source whose last frame is oldest */
  maxSources: number;
  /** larger frames are dropped */
  maxFrameBytes: number;
  /** a source without a frame for this long is forgotten */
  idleMs: number;
}

export const defaultVideoLimits: VideoLimits = {
  maxSources: 32,
  maxFrameBytes: 4 << 20,
  idleMs: 60_000,
};

export interface VideoEvents {
  dropped?: (reason: "too large") => void;
  evicted?: (reason: "idle" | "max sources") => void;
  /** a source's first frame (or first since it was forgotten): the cameras page shows it live */
  started?: (source: string) => void;
}

/**
 * Memory is bounded: at most `maxSources` frames of at most `maxFrameBytes` each, and a camera
 * that went quiet is forgotten after `idleMs` — a flood of device ids cannot grow it.
 */
export class VideoHub {
  /** ordered by last frame: the first entry is the source idle longest */
  private latest = new Map<string, { frame: Buffer; at: number }>();
  private waiters = new Map<string, Set<Waiter>>();
  frames = 0;
  bytes = 0;

  constructor(
    private limits: VideoLimits = defaultVideoLimits,
    private events: VideoEvents = {},
    private clock: () => number = Date.now,
  ) {}

  publish(source: string, frame: Buffer): void {
    if (frame.length > this.limits.maxFrameBytes) return this.events.dropped?.("too large");
    this.frames++;
    const now = this.clock();
    this.sweep(now);
    if (!this.latest.has(source) && this.latest.size >= this.limits.maxSources) {
      this.forget(this.latest.keys().next().value as string);
      this.events.evicted?.("max sources");
    }
    // a record's value may be a view into a larger fetched batch: keep only the frame's bytes
    const own = frame.byteLength === frame.buffer.byteLength ? frame : Buffer.from(frame);
    const fresh = !this.latest.has(source);
    this.forget(source);
    this.latest.set(source, { frame: own, at: now });
    if (fresh) this.events.started?.(source);
    this.bytes += own.length;
    const set = this.waiters.get(source);
    if (!set) return;
    this.waiters.delete(source);
    for (const w of set) w(own);
  }

  newest(source: string): Buffer | undefined {
    this.sweep(this.clock());
    return this.latest.get(source)?.frame;
  }

  sources(): string[] {
    this.sweep(this.clock());
    return [...this.latest.keys()];
  }

  /** Forgets the sources idle for longer than `idleMs`. */
  sweep(now = this.clock()): void {
    for (const [source, { at }] of this.latest) {
      if (now - at <= this.limits.idleMs) break; // the rest are younger
      this.forget(source);
      this.events.evicted?.("idle");
    }
  }

  /** Sweeps on a timer too, so a flood that stopped gives its memory back; returns the stop. */
  sweepEvery(ms: number): () => void {
    const timer = setInterval(() => this.sweep(), ms);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  private forget(source: string): void {
    const old = this.latest.get(source);
    if (!old) return;
    this.latest.delete(source);
    this.bytes -= old.frame.length;
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
