/** @jsxImportSource hono/jsx */
import { clock } from "../format.ts";
import type { AlertRow } from "./data.ts";

export function Alerts({ alerts }: { alerts: AlertRow[] }) {
  if (alerts.length === 0)
    return <p class="empty">No alerts. Rules, bins and presence raise them here.</p>;
  return (
    <ul class="alerts">
      {alerts.map((a) => (
        <li class={`card alert-${a.state} sev-${a.severity}`} data-testid={`alert-${a.id}`}>
          <strong>{a.kind}</strong> {a.message}
          <span class="muted">
            {" "}
            · {clock(a.created_at)} · {a.state}
          </span>
          {a.state !== "cleared" && (
            <span class="actions">
              {a.state === "open" && (
                <button hx-post={`/api/alerts/${a.id}/ack`} hx-swap="none">
                  Acknowledge
                </button>
              )}
              <button hx-post={`/api/alerts/${a.id}/clear`} hx-swap="none">
                Clear
              </button>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
