/** @jsxImportSource hono/jsx */
import { clock } from "../format.ts";
import type { ImageRow } from "./data.ts";

export function Cameras({
  newest,
  recent,
  videoSources,
}: {
  newest: ImageRow[];
  recent: ImageRow[];
  videoSources: string[];
}) {
  return (
    <div class="grid">
      {newest.length === 0 ? (
        <p class="empty">
          No snapshots yet — devices publish JPEGs to <code>iot/&lt;id&gt;/image</code>.
        </p>
      ) : (
        newest.map((i) => (
          <figure class="card">
            <img src={`/images/${i.id}.jpg`} alt={`newest from ${i.device_id}`} loading="lazy" />
            <figcaption>
              {i.device_id} · {clock(i.ts)}
            </figcaption>
          </figure>
        ))
      )}
      <section class="card wide">
        <h2>Recent</h2>
        <div class="gallery">
          {recent.map((i) => (
            <a href={`/images/${i.id}.jpg`}>
              <img
                src={`/images/${i.id}.jpg`}
                alt={`${i.device_id} ${clock(i.ts)}`}
                loading="lazy"
              />
            </a>
          ))}
        </div>
      </section>
      {videoSources.map((s) => (
        <figure class="card">
          <img src={`/video_feed?device=${encodeURIComponent(s)}`} alt={`live video ${s}`} />
          <figcaption>live: {s}</figcaption>
        </figure>
      ))}
    </div>
  );
}
