/** @jsxImportSource hono/jsx */
import { Ago } from "../../components/time.tsx";
import { Badge } from "../../components/badge.tsx";
import { Empty } from "../../components/empty.tsx";
import type { DeviceCommandRow } from "../../../src/store/device-commands.ts";
import type { SnapshotRow } from "../../../src/store/device-queries.ts";
import { clock } from "../../format.ts";
import { Desired, stateBadge, Toggle, type DeviceItem } from "./list.tsx";
import { displayName, stateLabels, typeLabels } from "./state.ts";

export interface DeviceDetailProps {
  device: DeviceItem;
  snapshots: SnapshotRow[];
  commands: DeviceCommandRow[];
  data: { readings: number; images: number };
  /** `?confirm=delete`: the delete step's choices are shown */
  confirmDelete: boolean;
  now: number;
}

/** One device: its state, what it was told, its snapshots, and renaming or deleting it. */
export function DeviceDetail({
  device: d,
  snapshots,
  commands,
  data,
  confirmDelete,
  now,
}: DeviceDetailProps) {
  const base = `/devices/${encodeURIComponent(d.id)}`;
  return (
    <div class="device-page" data-device-scope={d.id} data-testid={`device-page-${d.id}`}>
      <div class="page-head">
        <div>
          <p class="muted">
            <a href="/devices">Devices</a> / {d.id}
          </p>
          <h1>{displayName(d)}</h1>
        </div>
        <Badge kind={stateBadge[d.state]} label={stateLabels[d.state]} />
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="facts-title">
          <h2 id="facts-title">Status</h2>
          <dl class="facts">
            <dt>Id</dt>
            <dd class="num">{d.id}</dd>
            <dt>Type</dt>
            <dd>{typeLabels[d.type]}</dd>
            <dt>Last seen</dt>
            <dd>
              <Ago ts={d.last_seen} now={now} />
            </dd>
            <dt>Reported</dt>
            <dd>{d.status ?? <span class="muted">—</span>}</dd>
            <dt>Desired</dt>
            <dd class="desired">
              <Desired d={d} />
            </dd>
            {d.x !== null && d.y !== null && (
              <>
                <dt>Position</dt>
                <dd class="num">
                  {d.x}, {d.y}
                </dd>
              </>
            )}
          </dl>
          <Toggle d={d} />
        </section>
        {/* kept across live updates: a name being typed or a delete being confirmed stays */}
        <section
          class="card"
          id={`manage-${d.id.replace(/[^a-zA-Z0-9_-]/g, "_")}-${confirmDelete ? "confirm" : "view"}`}
          hx-preserve="true"
          aria-labelledby="manage-title"
        >
          <h2 id="manage-title">Manage</h2>
          <form method="post" action={`${base}/rename`} class="rename-form">
            <label for="device-name">Display name</label>
            <div class="inline">
              <input
                id="device-name"
                name="name"
                value={d.name ?? ""}
                maxlength={64}
                placeholder={d.id}
              />
              <button type="submit" class="btn">
                Rename
              </button>
            </div>
            <p class="muted">The id stays {d.id} on the wire; leave empty to show the id.</p>
          </form>
          {confirmDelete ? (
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-title">
              <p id="confirm-title">
                <strong>Delete {displayName(d)}?</strong> It comes back if it sends again.
              </p>
              <form method="post" action={`${base}/delete`}>
                <input type="hidden" name="data" value="keep" />
                <button type="submit" class="btn">
                  Delete the device, keep its data
                </button>
              </form>
              <form method="post" action={`${base}/delete`}>
                <input type="hidden" name="data" value="delete" />
                <button type="submit" class="btn btn-danger">
                  Delete the device and its data ({data.readings} readings, {data.images} images)
                </button>
              </form>
              <a href={base}>Cancel</a>
            </div>
          ) : (
            <a class="btn btn-danger" href={`${base}?confirm=delete`}>
              Delete…
            </a>
          )}
        </section>
      </div>
      {/* the readings chart goes here (views/components/time-chart.tsx, wired by the lead) */}
      <section id="device-readings" class="card" aria-label="Readings"></section>
      {(snapshots.length > 0 || d.type === "camera") && (
        <section class="card" aria-labelledby="snapshots-title">
          <h2 id="snapshots-title">Recent snapshots</h2>
          {snapshots.length === 0 ? (
            <Empty title="No snapshots from this device">
              Cameras publish JPEGs to <code>iot/{d.id}/image</code>.
            </Empty>
          ) : (
            <div class="snapshot-strip">
              {snapshots.map((s) => (
                <figure>
                  <a href={`/images/${s.id}.jpg`}>
                    <img
                      src={`/images/${s.id}.jpg`}
                      alt={`${displayName(d)} at ${clock(s.ts)}`}
                      loading="lazy"
                    />
                  </a>
                  <figcaption>
                    <Ago ts={s.ts} now={now} />
                  </figcaption>
                </figure>
              ))}
            </div>
          )}
        </section>
      )}
      <section class="card" aria-labelledby="commands-title">
        <h2 id="commands-title">Command history</h2>
        {commands.length === 0 ? (
          <Empty title="No commands sent">
            The toggle above sends <code>POST /status/{d.id}</code>.
          </Empty>
        ) : (
          <table class="data" data-testid="command-history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Status</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {commands.map((c) => (
                <tr>
                  <td>
                    <Ago ts={c.ts} now={now} />
                  </td>
                  <td>{c.status}</td>
                  <td>
                    {c.code === 200 ? (
                      <Badge kind="ok" label="sent" />
                    ) : (
                      <>
                        <Badge kind="alert" label={`not sent (${c.code})`} />{" "}
                        <span class="muted">{c.problem}</span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <script src="/static/devices.js" defer></script>
    </div>
  );
}
