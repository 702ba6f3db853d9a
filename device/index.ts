/**
 * `iot device`: reads the sensor every read interval and takes a snapshot every snapshot
 * interval into the outbox, streams video if asked, delivers the outbox to the server and obeys
 * its Active/Inactive commands. Failures of the hardware are logged and retried at the next
 * interval; nothing here crashes the agent.
 */
import { openDataDir } from "../src/core/datadir/index.ts";
import type { Logger } from "../src/core/log/index.ts";
import { startDelivery } from "./deliver.ts";
import { every, type Every } from "./every.ts";
import type { DeviceOptions } from "./options.ts";
import { Outbox } from "./outbox/index.ts";
import { createSensor } from "./sensors/index.ts";
import { createSnapshotCamera } from "./snapshot/index.ts";
import { saveState, startBoot, type DeviceStatus } from "./state.ts";
import { createTransport } from "./transport/index.ts";
import type { Camera, Sensor, VideoSource } from "./types.ts";
import { createVideo } from "./video/index.ts";

export { deviceOptions, type DeviceOptions } from "./options.ts";

export interface RunningDevice {
  /** Finishes what is in flight, publishes offline, closes the outbox. */
  stop(): Promise<void>;
}

export async function startDevice(opts: DeviceOptions, log: Logger): Promise<RunningDevice> {
  // one agent per outbox: two would send the same messages twice or lose their place
  const dataDir = openDataDir(opts.dataDir, { command: "iot device", owner: true }, log);
  let running: RunningDevice;
  try {
    running = await startAgent(opts, log);
  } catch (e) {
    dataDir.release();
    throw e;
  }
  return {
    async stop() {
      try {
        await running.stop();
      } finally {
        dataDir.release();
      }
    },
  };
}

async function startAgent(opts: DeviceOptions, log: Logger): Promise<RunningDevice> {
  const state = startBoot(opts.dataDir);
  const outbox = new Outbox({
    dataDir: opts.dataDir,
    maxBytes: opts.outboxMaxBytes,
    boot: state.boot,
    log: log.child("outbox"),
  });
  const [sensor, camera, video] = await Promise.all([
    opts.sensor === "off"
      ? null
      : optional(log, "sensor", () =>
          createSensor({ kind: opts.sensor as "sim", dht: opts.dht, gpio: opts.gpio, log }),
        ),
    opts.camera === "off"
      ? null
      : optional(log, "camera", () =>
          Promise.resolve(
            createSnapshotCamera(
              {
                kind: opts.camera as "sim",
                source: opts.cameraSource || undefined,
                ...opts.imageSize,
              },
              log,
            ),
          ),
        ),
    opts.video === "off"
      ? null
      : optional(log, "video", () =>
          createVideo({
            kind: opts.video as "sim",
            source: opts.videoSource || undefined,
            fps: opts.videoFps,
            ...opts.videoSize,
            log,
          }),
        ),
  ]);

  const announce = () => {
    const extra = outbox.dropped > 0 ? { outbox_dropped: outbox.dropped } : {};
    const status = state.status === "Inactive" ? "Inactive" : "online";
    transport.status(status, extra).catch((err) => log.warn("status not sent", { err }));
  };
  const onCommand = (status: DeviceStatus) => {
    if (status === state.status) return;
    state.status = status;
    saveState(opts.dataDir, state);
    log.warn(`command: ${status}`);
    if (status === "Inactive") stopVideo();
    else startVideo();
    // the one message on the transition, as the seed's devices do
    transport.status(status).catch((err) => log.warn("status not sent", { err }));
  };
  const transport = createTransport(opts, {
    log: log.child("transport"),
    onCommand,
    onConnect: announce,
  });
  log.info("started", {
    id: opts.id,
    transport: transport.name,
    boot: state.boot,
    status: state.status,
    waiting: outbox.length,
  });
  const delivery = startDelivery(outbox, transport, log.child("delivery"));

  const active = () => state.status === "Active";
  const loops: Every[] = [];
  if (sensor)
    loops.push(
      every(
        opts.readInterval,
        async () => {
          if (!active()) return;
          const r = await sensor.read();
          const reading = { ts: r.ts, temperature: r.temperature, humidity: r.humidity };
          const msgId = outbox.append("telemetry", Buffer.from(JSON.stringify(reading)));
          log.debug("queued", { kind: "telemetry", msgId, ts: r.ts });
        },
        (err) => log.warn("reading failed (sensor or outbox)", { err }),
      ),
    );
  if (camera)
    loops.push(
      every(
        opts.snapshotInterval,
        async () => {
          if (!active()) return;
          const at = new Date();
          const jpeg = await camera.snapshot(at);
          const msgId = outbox.append("image", jpeg, { captured_at: String(at.getTime()) });
          log.debug("queued", { kind: "image", msgId, ts: at.getTime() });
        },
        (err) => log.warn("snapshot failed (camera or outbox)", { err }),
      ),
    );

  let videoOn = false;
  function startVideo() {
    if (!video || videoOn || !active()) return;
    videoOn = true;
    video.start(
      (frame) => transport.video(frame),
      (err) => {
        videoOn = false;
        log.warn("video stopped; restarting in 5 s", { err });
        setTimeout(startVideo, 5000).unref();
      },
    );
  }
  function stopVideo() {
    if (!video || !videoOn) return;
    videoOn = false;
    video.stop().catch((err) => log.warn("video stop failed", { err }));
  }
  startVideo();

  return {
    async stop() {
      // a snapshot in progress gets a few seconds, not its whole timeout (systemd waits 20 s)
      await Promise.race([Promise.all(loops.map((l) => l.stop())), Bun.sleep(5000)]);
      stopVideo();
      await delivery.stop(5000);
      await transport.close();
      outbox.close();
      await closeAll(log, [sensor, camera, video]);
      log.info("stopped", { delivered: delivery.delivered, waiting: outbox.length });
    },
  };
}

/** A part that cannot start is logged and left out; the rest of the agent runs. */
async function optional<T>(log: Logger, what: string, make: () => Promise<T>): Promise<T | null> {
  try {
    return await make();
  } catch (err) {
    log.error(`${what} unavailable; running without it`, { err });
    return null;
  }
}

async function closeAll(log: Logger, parts: Array<Sensor | Camera | VideoSource | null>) {
  for (const p of parts) {
    if (!p) continue;
    try {
      await ("close" in p ? p.close() : p.stop());
    } catch (err) {
      log.warn("close failed", { err });
    }
  }
}
