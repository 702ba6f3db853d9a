/** @jsxImportSource hono/jsx */
import type { HealthReport } from "./types.ts";

/** The landing page: the pipeline's health at a glance. The issue on the dashboard fills it. */
export function Overview({ health }: { health: HealthReport }) {
  const entries = Object.entries(health.components);
  return (
    <section>
      <h1>Overview</h1>
      <p>
        Pipeline: <strong>{health.status}</strong>
      </p>
      {entries.length === 0 ? (
        <p class="empty">No components running.</p>
      ) : (
        <ul class="components">
          {entries.map(([name, c]) => (
            <li class={`state-${c.state}`}>
              {name}: {c.state}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
