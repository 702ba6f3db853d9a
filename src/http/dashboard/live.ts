/**
 * Server-sent events for the dashboard: htmx's SSE extension swaps each `event: <view>` into
 * the element with `sse-swap="<view>"`. Events from the bus only mark views stale; every
 * `intervalMs` each stale view is rendered once per set of params (a room, a device, a range)
 * and the same HTML goes to all its viewers with those params. A
 * viewer holds at most one pending update (the newest), so a slow or stalled browser never makes
 * the server's memory grow, however long the page stays open.
 *
 * Pages and live updates share one cache of renders per (view, params): a render is reused until
 * an event (or the clock's tick, `touch`) makes its view stale, and never past `maxAgeMs`, so a
 * page asked for again between two events costs no query, and the live update after an event
 * reuses the render of a page loaded since. A render under way is shared too: requests that
 * arrive while a view loads from the store (PostgreSQL answers over the network) wait for the
 * same load instead of starting their own.
 */
import type { EventBus } from "../../events/index.ts";
import { sseEvent } from "./sse.ts";
import { titleOf, type View, type ViewDeps, type ViewParams } from "./view.ts";

/** A view rendered: its page's title, its live region's HTML, and what each step took. */
export interface Rendered {
  title: string;
  html: string;
  /** reading the store */
  loadMs: number;
  /** the JSX to HTML */
  renderMs: number;
}

interface Viewer {
  view: string;
  params: ViewParams;
  /** the view and its params: viewers with the same key share one render */
  key: string;
  /** the newest update not yet taken by the browser: one buffer shared by its view's viewers */
  pending: Uint8Array | null;
  push(): void;
}

/** renders kept at most; the oldest goes first (params come from the query string) */
const CACHED_RENDERS = 256;

const encoder = new TextEncoder();

export class LiveViews {
  private readonly viewers = new Set<Viewer>();
  private readonly stale = new Set<string>();
  /** per view, bumped by each event that makes it stale: a render of an older one is out of date */
  private readonly generations = new Map<string, number>();
  private readonly renders = new Map<
    string,
    { page: Promise<Rendered>; generation: number; at: number }
  >();
  /** a flush under way: the next tick leaves the stale views for the one after it */
  private flushing = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;
  rendered = 0;

  constructor(
    private readonly views: Record<string, View>,
    private readonly deps: ViewDeps,
    bus: EventBus,
    intervalMs = 250,
    /** a cached render is this old at most: the relative times it shows ("5 s ago") move on */
    private readonly maxAgeMs = 1000,
  ) {
    this.unsubscribe = bus.subscribe((e) => {
      for (const [name, v] of Object.entries(views)) if (v.on.includes(e.type)) this.outdate(name);
    });
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  get count(): number {
    return this.viewers.size;
  }

  /** Time-based views (time away, "seen 5 min ago") go stale without events. */
  touch(view: string): void {
    this.outdate(view);
  }

  /**
   * The view's page (its title and HTML) for these params: the cached render while no event made
   * the view stale since (and it is younger than maxAgeMs), else a new one. Rejects with what the
   * view throws (NotFound).
   */
  page(view: string, params: ViewParams): Promise<Rendered> {
    const key = viewKey(view, params);
    const generation = this.generations.get(view) ?? 0;
    const now = performance.now();
    const cached = this.renders.get(key);
    if (cached && cached.generation === generation && now - cached.at < this.maxAgeMs)
      return cached.page;
    const page = this.render(view, params);
    const entry = { page, generation, at: now };
    this.renders.delete(key); // re-inserted last: the Map's order is the eviction order
    this.renders.set(key, entry);
    if (this.renders.size > CACHED_RENDERS) this.renders.delete(this.renders.keys().next().value!);
    // a page that failed (NotFound, a store error) is not kept: the next request tries again
    page.catch(() => this.renders.get(key) === entry && this.renders.delete(key));
    return page;
  }

  /** The view's HTML for these params (as `page`). */
  async html(view: string, params: ViewParams): Promise<string> {
    return (await this.page(view, params)).html;
  }

  private async render(name: string, params: ViewParams): Promise<Rendered> {
    const view = this.views[name]!;
    const started = performance.now();
    const data = await view.load(this.deps, params);
    const loaded = performance.now();
    const html = String(view.render(data, params));
    this.rendered++;
    return {
      title: titleOf(view, data, params),
      html,
      loadMs: loaded - started,
      renderMs: performance.now() - loaded,
    };
  }

  private outdate(view: string): void {
    this.stale.add(view);
    this.generations.set(view, (this.generations.get(view) ?? 0) + 1);
  }

  stream(view: string, params: ViewParams, signal: AbortSignal): ReadableStream<Uint8Array> {
    let viewer: Viewer;
    let keepAlive: ReturnType<typeof setInterval>;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          viewer = {
            view,
            params,
            key: viewKey(view, params),
            pending: null,
            push: () => {
              // Only when the browser has taken what we sent; otherwise keep just the newest.
              if (viewer.pending === null || (controller.desiredSize ?? 1) <= 0) return;
              controller.enqueue(viewer.pending);
              viewer.pending = null;
            },
          };
          this.viewers.add(viewer);
          controller.enqueue(encoder.encode(": connected\n\n"));
          keepAlive = setInterval(
            () =>
              (controller.desiredSize ?? 1) > 0 &&
              controller.enqueue(encoder.encode(": keep-alive\n\n")),
            25_000,
          );
          signal.addEventListener("abort", () => {
            this.viewers.delete(viewer);
            clearInterval(keepAlive);
            try {
              controller.close();
            } catch {
              // already closed
            }
          });
        },
        pull: () => viewer.push(),
        cancel: () => {
          this.viewers.delete(viewer);
          clearInterval(keepAlive);
        },
      },
      { highWaterMark: 1 },
    );
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    if (this.stale.size === 0 || this.viewers.size === 0) return this.stale.clear();
    // events during this flush make their views stale again: the next flush renders them anew
    const names = [...this.stale];
    this.stale.clear();
    this.flushing = true;
    try {
      const updates: Array<Promise<void>> = [];
      for (const name of names) {
        const byKey = new Map<string, Viewer[]>();
        for (const v of this.viewers) {
          if (v.view !== name) continue;
          const same = byKey.get(v.key);
          if (same) same.push(v);
          else byKey.set(v.key, [v]);
        }
        for (const watching of byKey.values())
          updates.push(
            this.html(name, watching[0]!.params).then(
              (html) => {
                // encoded once for all its viewers: a Devices page is ~6 KB, and encoding it
                // again per viewer was most of a flush's CPU with 200 of them
                const event = encoder.encode(sseEvent(name, html));
                for (const v of watching) {
                  v.pending = event;
                  v.push();
                }
              },
              () => {}, // the room or device is gone, or the store failed: the page keeps what it shows
            ),
          );
      }
      await Promise.all(updates);
    } finally {
      this.flushing = false;
    }
  }
}

/** One string per view and params, whatever order the params came in. */
export function viewKey(view: string, params: ViewParams): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]!]);
  return `${view}?${new URLSearchParams(sorted)}`;
}
