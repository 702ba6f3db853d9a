/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export interface LayoutProps {
  title: string;
  version: string;
  /** the request's path: its section is marked as the current page in the navigation */
  path?: string;
  /** a sign-in session cookie came with the request: offer to sign out */
  signedIn?: boolean;
  children?: Child;
}

export const nav = [
  ["/", "Overview"],
  ["/rooms", "Rooms"],
  ["/people", "People"],
  ["/devices", "Devices"],
  ["/bins", "Bins"],
  ["/cameras", "Cameras"],
  ["/alerts", "Alerts"],
] as const;

/** The navigation entry a path belongs to: `/` only itself, the others their whole section. */
export function currentSection(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (path === "/" || path === "") return "/";
  return nav.find(([href]) => href !== "/" && (path === href || path.startsWith(href + "/")))?.[0];
}

/** The product's mark: a sensor sending (also the favicon). */
function Mark() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#0b5cad" />
      <circle cx="16" cy="16" r="3.2" fill="#fff" />
      <path
        d="M10.3 10.3a8 8 0 0 0 0 11.4M21.7 10.3a8 8 0 0 1 0 11.4M6.8 6.8a13 13 0 0 0 0 18.4M25.2 6.8a13 13 0 0 1 0 18.4"
        fill="none"
        stroke="#fff"
        stroke-width="2.2"
        stroke-linecap="round"
      />
    </svg>
  );
}

/**
 * The page shell. Scripts come from the binary itself, never a CDN, and none is inline (a CSP
 * stays possible): theme.js blocks in <head> so a remembered dark theme applies before the first
 * paint; htmx and its SSE extension are deferred.
 */
export function Layout({ title, version, path, signedIn = false, children }: LayoutProps) {
  const current = currentSection(path);
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`${title} · iot`}</title>
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/static/app.css" />
          <script src="/static/theme.js"></script>
          <script src="/static/htmx.min.js" defer></script>
          <script src="/static/sse.min.js" defer></script>
          <script src="/static/uPlot.iife.min.js" defer></script>
          <script src="/static/charts.js" defer></script>
          <script src="/static/live.js" defer></script>
        </head>
        <body hx-boost="true">
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <a class="brand" href="/" aria-label="iot console, overview">
              <Mark />
              <span>iot console</span>
            </a>
            <nav class="site-nav" aria-label="Main">
              <ul>
                {nav.map(([href, label]) => (
                  <li>
                    <a href={href} aria-current={href === current ? "page" : undefined}>
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="header-actions">
              <button
                type="button"
                class="theme-toggle"
                data-theme-toggle=""
                aria-label="Dark theme"
                aria-pressed="false"
                hidden
              >
                <span class="icon-dark" aria-hidden="true">
                  ☾
                </span>
                <span class="icon-light" aria-hidden="true">
                  ☀
                </span>
              </button>
              {signedIn && (
                <form method="post" action="/logout" class="logout">
                  <button type="submit">Sign out</button>
                </form>
              )}
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {children}
          </main>
          <footer class="site-footer">
            iot {version} · <a href="/settings/notifications">notifications</a> ·{" "}
            <a href="/docs">API</a> · <a href="/healthz">health</a> · <a href="/metrics">metrics</a>
          </footer>
        </body>
      </html>
    </>
  );
}
