/** @jsxImportSource hono/jsx */

/** Every state a badge can show; the stylesheet gives each its colour (`.badge-<kind>`). */
export type BadgeKind =
  | "ok"
  | "online"
  | "offline"
  | "stale"
  | "never"
  | "alert"
  | "warning"
  | "critical"
  | "info"
  | "open"
  | "acknowledged"
  | "cleared"
  | "full"
  | "in"
  | "out";

/** A small coloured status label; the label defaults to the kind. */
export function Badge({ kind, label }: { kind: BadgeKind; label?: string }) {
  return <span class={`badge badge-${kind}`}>{label ?? kind}</span>;
}
