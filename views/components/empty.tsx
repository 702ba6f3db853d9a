/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/** An empty state: what is missing, and what to do about it (real ports and commands). */
export function Empty({ title, children }: { title: string; children?: Child }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children && <div class="empty-hint">{children}</div>}
    </div>
  );
}
