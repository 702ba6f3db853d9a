/**
 * A dashboard view: the page at `path`, which events make it stale, and how to render it from the
 * store. The same render serves the page and its live SSE update, so a view is a pure function of
 * (store, params). Params are the route's (`/rooms/:room_no`) and the query's (`?range=6h`); the
 * SSE stream of a page carries the same params, so each distinct set renders once per update.
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { IotEvent } from "../../events/index.ts";
import type { Health } from "../../health/index.ts";
import type { Db } from "../../store/index.ts";
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
  db: Db;
  health: Health;
  videoSources: () => string[];
  /** read when rendering: listeners bind after the routes are made */
  site?: () => SiteInfo;
  /** the disk use per kind the data lifecycle measured last (none before its first pass) */
  usage?: () => DiskUsage | undefined;
  now?: () => number;
}

export type ViewParams = Readonly<Record<string, string>>;

export interface View {
  /** the hono route of the page, e.g. "/rooms/:room_no" */
  path: string;
  title: string | ((deps: ViewDeps, params: ViewParams) => string);
  /** event types that make this view stale */
  on: ReadonlyArray<IotEvent["type"]>;
  /** throws NotFound when the params name nothing (an unknown room or device) */
  render(deps: ViewDeps, params: ViewParams): JSX.Element;
}

/** A view asked for something that does not exist: the page answers 404 inside the layout. */
export class NotFound extends Error {}

export const titleOf = (view: View, deps: ViewDeps, params: ViewParams) =>
  typeof view.title === "string" ? view.title : view.title(deps, params);
