/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export interface LayoutProps {
  title: string;
  version: string;
  children?: Child;
}

const nav = [
  ["/", "Overview"],
  ["/rooms", "Rooms"],
  ["/people", "People"],
  ["/devices", "Devices"],
  ["/bins", "Bins"],
  ["/cameras", "Cameras"],
  ["/alerts", "Alerts"],
] as const;

/** The page shell: htmx and its SSE extension come from the binary itself, never a CDN. */
export function Layout({ title, version, children }: LayoutProps) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · iot`}</title>
          <link rel="stylesheet" href="/static/app.css" />
          <script src="/static/htmx.min.js" defer></script>
          <script src="/static/sse.min.js" defer></script>
        </head>
        <body hx-boost="true">
          <header>
            <strong>iot</strong>
            <nav>
              {nav.map(([href, label]) => (
                <a href={href}>{label}</a>
              ))}
            </nav>
          </header>
          <main>{children}</main>
          <footer>iot {version}</footer>
        </body>
      </html>
    </>
  );
}
