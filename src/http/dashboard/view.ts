/**
 * A dashboard view: the page at `path`, which events make it stale, how to load its rows from the
 * store (through the store engine: SQLite or PostgreSQL alike) and how to render them. The same
 * load and render serve the page and its live SSE update, so a view is a function of (store,
 * params): `load` reads (async), `render` is pure JSX of what was loaded. Params are the route's
 * (`/rooms/:room_no`) and the query's (`?range=6h`); the SSE stream of a page carries the same
 * params, so each distinct set renders once per update.
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { IotEvent } from "../../events/index.ts";
import type { Health } from "../../health/index.ts";
import type { StoreEngine } from "../../store/engine/index.ts";
import type { DiskUsage } from "../../store/usage.ts";

/**
 * What the pages may say about this server, for empty states and hints: its real listeners.
 * Hosts are as bound (0.0.0.0 means any of this machine's addresses).
 */
export interface SiteInfo {
  /** `http://host:port` of the dashboard and collector */
  httpUrl?: string;
  /** `mqtt://host:port` of the embedded broker, or the external one (`--mqtt-url`) */
  mqttUrl?: string;
  /** `host:port,…` of the Kafka brokers, embedded or external */
  kafkaBrokers?: string;
}

export interface ViewDeps {
  /** the store the pages read: SQLite in the data dir, or PostgreSQL (`--database-url`) */
  store: StoreEngine;
  health: Health;
  videoSources: () => string[];
  /** read when rendering: listeners bind after the routes are made */
  site?: () => SiteInfo;
  /** the disk use per kind the data lifecycle measured last (none before its first pass) */
  usage?: () => DiskUsage | undefined;
  now?: () => number;
}

export type ViewParams = Readonly<Record<string, string>>;

/** What a view loaded: the title of its page and what `render` draws. */
export interface View<D = any> {
  /** the hono route of the page, e.g. "/rooms/:room_no" */
  path: string;
  title: string | ((data: D, params: ViewParams) => string);
  /** event types that make this view stale */
  on: ReadonlyArray<IotEvent["type"]>;
  /** reads what the page shows; throws NotFound when the params name nothing */
  load(deps: ViewDeps, params: ViewParams): Promise<D>;
  /** the page's live region from what `load` read (pure) */
  render(data: D, params: ViewParams): JSX.Element;
}

/** A view whose load and render agree on the type of what is loaded. */
export const defineView = <D>(view: View<D>): View<D> => view;

/** A view asked for something that does not exist: the page answers 404 inside the layout. */
export class NotFound extends Error {}

export const titleOf = <D>(view: View<D>, data: D, params: ViewParams) =>
  typeof view.title === "string" ? view.title : view.title(data, params);
