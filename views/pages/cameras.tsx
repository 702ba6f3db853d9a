/** @jsxImportSource hono/jsx */
import { Ago } from "../components/time.tsx";
import { Empty } from "../components/empty.tsx";
import type { SnapshotRow } from "../../src/store/device-queries.ts";
import { clock } from "../format.ts";

export interface CameraGroup {
  id: string;
  name: string;
  /** newest first */
  snapshots: SnapshotRow[];
}

/** `rtsp-stream` is the seed's RTSP producer (Kafka); other sources are device ids. */
const sourceLabel = (s: string) => (s === "rtsp-stream" ? "RTSP stream (Kafka rtsp-stream)" : s);

/**
 * The live video on top, large (or a placeholder that says how to send some), then each camera's
 * snapshots, newest first, with captions.
 */
export function Cameras({
  live,
  cameras,
  now,
  mqttUrl,
}: {
  /** the video sources with a recent frame */
  live: string[];
  cameras: CameraGroup[];
  now: number;
  mqttUrl?: string;
}) {
  const waitingFor = cameras[0]?.id ?? "<id>";
  return (
    <div class="cameras-page">
      <div class="page-head">
        <h1>Cameras</h1>
        <p class="muted">
          {live.length} live · {cameras.length} cameras with snapshots
        </p>
      </div>
      <section class="card live-video" aria-labelledby="live-title">
        <div class="card-head">
          <h2 id="live-title">Live video</h2>
        </div>
        {live.length === 0 ? (
          <div class="video-placeholder" data-testid="video-placeholder">
            <p class="empty-title">Waiting for video from {waitingFor}…</p>
            <p>
              publish frames to <code>iot/{waitingFor}/video</code>
              {mqttUrl && (
                <>
                  {" "}
                  on <code>{mqttUrl}</code>
                </>
              )}{" "}
              (JPEG per message, as <code>iot device</code> does), or raw JPEG records to the Kafka
              topic <code>rtsp-stream</code>.
            </p>
          </div>
        ) : (
          <div class={`video-grid video-count-${Math.min(live.length, 3)}`}>
            {live.map((s) => (
              <figure class="video" data-testid={`video-${s}`}>
                <img
                  // kept across live updates: the stream is not reconnected on every snapshot
                  id={`live-${s.replace(/[^a-zA-Z0-9_-]/g, "_")}`}
                  hx-preserve="true"
                  src={`/video_feed?device=${encodeURIComponent(s)}`}
                  alt={`Live video from ${sourceLabel(s)}`}
                />
                <figcaption>
                  <span class="badge badge-online">live</span> {sourceLabel(s)}
                </figcaption>
              </figure>
            ))}
          </div>
        )}
      </section>
      {cameras.length === 0 ? (
        <Empty title="No snapshots yet">
          Cameras publish JPEGs to <code>iot/&lt;id&gt;/image</code>
          {mqttUrl && (
            <>
              {" "}
              on <code>{mqttUrl}</code>
            </>
          )}
          , or the seed's producer sends them to the Kafka topic <code>imgtest</code>.
        </Empty>
      ) : (
        cameras.map((cam) => <CameraSnapshots cam={cam} now={now} />)
      )}
    </div>
  );
}

function CameraSnapshots({ cam, now }: { cam: CameraGroup; now: number }) {
  const [newest, ...older] = cam.snapshots;
  if (!newest) return null;
  return (
    <section
      class="card camera-group"
      data-testid={`camera-${cam.id}`}
      aria-labelledby={`cam-${cam.id}`}
    >
      <div class="card-head">
        <h2 id={`cam-${cam.id}`}>
          <a href={`/devices/${encodeURIComponent(cam.id)}`}>{cam.name}</a>
        </h2>
        <span class="muted">
          newest <Ago ts={newest.ts} now={now} />
        </span>
      </div>
      <div class="camera-snapshots">
        <figure class="snapshot-newest">
          <a href={`/images/${newest.id}.jpg`}>
            <img src={`/images/${newest.id}.jpg`} alt={`${cam.name} at ${clock(newest.ts)}`} />
          </a>
          <figcaption>
            {cam.name} · <Ago ts={newest.ts} now={now} />
          </figcaption>
        </figure>
        <div class="snapshot-strip">
          {older.map((s) => (
            <figure>
              <a href={`/images/${s.id}.jpg`}>
                <img
                  src={`/images/${s.id}.jpg`}
                  alt={`${cam.name} at ${clock(s.ts)}`}
                  loading="lazy"
                />
              </a>
              <figcaption>
                <Ago ts={s.ts} now={now} />
              </figcaption>
            </figure>
          ))}
        </div>
      </div>
    </section>
  );
}
