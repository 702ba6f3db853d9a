/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export interface LayoutProps {
  title: string;
  version: string;
  /** a sign-in session cookie came with the request: offer to sign out */
  signedIn?: boolean;
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
export function Layout({ title, version, signedIn = false, children }: LayoutProps) {
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
          <script src="/static/uPlot.iife.min.js" defer></script>
          <script src="/static/charts.js" defer></script>
        </head>
        <body hx-boost="true">
          <header>
            <strong>iot</strong>
            <nav>
              {nav.map(([href, label]) => (
                <a href={href}>{label}</a>
              ))}
            </nav>
            {signedIn && (
              <form method="post" action="/logout" class="logout">
                <button type="submit">Sign out</button>
              </form>
            )}
          </header>
          <main>{children}</main>
          <footer>iot {version}</footer>
        </body>
      </html>
    </>
  );
}
