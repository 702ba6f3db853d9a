/** @jsxImportSource hono/jsx */
/**
 * An alert's notifications: per channel where it stands (a line "not delivered: <reason>" once
 * the attempts are spent), then every attempt. For the alert's page (src/store/notify.ts
 * `deliveriesOf(db, alertId)` gives the rows).
 */
import { clock } from "../format.ts";

export interface DeliveryView {
  channel: string;
  event: "raised" | "cleared" | "test";
  attempt: number;
  status: "sent" | "failed" | "dead-lettered" | "collapsed" | "quiet";
  reason: string | null;
  at: number;
}

const words: Record<DeliveryView["status"], string> = {
  sent: "sent",
  failed: "attempt failed",
  "dead-lettered": "not delivered",
  collapsed: "collapsed into an earlier message",
  quiet: "held back: quiet hours",
};

/** The newest row per channel and event says where that delivery stands. */
function standing(rows: DeliveryView[]): DeliveryView[] {
  const last = new Map<string, DeliveryView>();
  for (const r of rows) last.set(`${r.channel} ${r.event}`, r);
  return [...last.values()];
}

function summary(r: DeliveryView): string {
  if (r.status === "dead-lettered") return `not delivered: ${r.reason ?? "unknown reason"}`;
  if (r.status === "failed") return `retrying (attempt ${r.attempt} failed: ${r.reason ?? "?"})`;
  return words[r.status];
}

export function Deliveries({ rows }: { rows: DeliveryView[] }) {
  if (rows.length === 0)
    return <p class="muted">No notifications: no route sends this alert anywhere.</p>;
  return (
    <div class="notify-deliveries">
      <ul class="notify-standing">
        {standing(rows).map((r) => (
          <li class={`notify-${r.status}`} data-channel={r.channel}>
            <strong>{r.channel}</strong> ({r.event}): {summary(r)}
          </li>
        ))}
      </ul>
      <details>
        <summary>Every attempt ({rows.length})</summary>
        <table class="data">
          <thead>
            <tr>
              <th>Time</th>
              <th>Channel</th>
              <th>Event</th>
              <th>Attempt</th>
              <th>Status</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr class={`notify-${r.status}`}>
                <td>{clock(r.at)}</td>
                <td>{r.channel}</td>
                <td>{r.event}</td>
                <td>{r.attempt || ""}</td>
                <td>{words[r.status]}</td>
                <td>{r.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
