/**
 * What the Alerts page and its JSON API accept: the filter and page in a query string, and the
 * alerts a bulk action applies to (ids and groups) in a JSON or form body. Pure: each returns
 * the value or the reason it is refused.
 */
import type { AlertFilter, AlertState, GroupKey } from "../../store/alert-list.ts";
import { MAX_PAGE_SIZE } from "../../store/alert-list.ts";

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const STATES = ["open", "acknowledged", "cleared"] as const;
const isState = (s: unknown): s is AlertState => STATES.includes(s as AlertState);
const MAX_TEXT = 200;
/** ids and groups one request may name */
export const MAX_TARGETS = 1000;

export interface AlertQuery {
  filter: AlertFilter;
  page: number;
  size: number;
}

/** `state kind room device page size`; empty values mean "any" (a form's blank choice). */
export function parseAlertQuery(
  q: Readonly<Record<string, string | undefined>>,
): Parsed<AlertQuery> {
  const filter: AlertFilter = {};
  const { state, kind, room, device, page = "", size = "" } = q;
  if (state) {
    if (!isState(state) && state !== "active")
      return { ok: false, problem: "state: expected open, acknowledged, cleared or active" };
    filter.state = state;
  }
  if (kind) {
    if (kind.length > MAX_TEXT) return { ok: false, problem: `kind: longer than ${MAX_TEXT}` };
    filter.kind = kind;
  }
  if (room) {
    if (!/^\d{1,9}$/.test(room)) return { ok: false, problem: "room: expected a room number" };
    filter.room = Number(room);
  }
  if (device) {
    if (device.length > MAX_TEXT) return { ok: false, problem: `device: longer than ${MAX_TEXT}` };
    filter.device = device;
  }
  const n = (raw: string, name: string, max: number, fallback: number): Parsed<number> => {
    if (raw === "") return { ok: true, value: fallback };
    const v = Number(raw);
    return /^\d{1,9}$/.test(raw) && v >= 1 && v <= max
      ? { ok: true, value: v }
      : { ok: false, problem: `${name}: expected an integer 1..${max}` };
  };
  const p = n(page, "page", 1_000_000, 1);
  if (!p.ok) return p;
  const s = n(size, "size", MAX_PAGE_SIZE, 50);
  if (!s.ok) return s;
  return { ok: true, value: { filter, page: p.value, size: s.value } };
}

export interface BulkTargets {
  ids: number[];
  groups: GroupKey[];
}

function groupOf(raw: unknown, at: string): Parsed<GroupKey> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { ok: false, problem: `${at}: expected {kind, subject, state}` };
  const { kind, subject, state } = raw as Record<string, unknown>;
  if (typeof kind !== "string" || kind === "" || kind.length > MAX_TEXT)
    return { ok: false, problem: `${at}.kind: expected a non-empty string` };
  if (typeof subject !== "string" || subject === "" || subject.length > MAX_TEXT)
    return { ok: false, problem: `${at}.subject: expected a non-empty string` };
  if (!isState(state))
    return { ok: false, problem: `${at}.state: expected open, acknowledged or cleared` };
  return { ok: true, value: { kind, subject, state } };
}

/**
 * `{ids: [1, 2], groups: [{kind, subject, state}]}` (JSON), or a form's repeated `ids` and
 * `group` fields (a group as its JSON, the checkbox's value). At least one target.
 */
export function parseBulkTargets(body: unknown, form: boolean): Parsed<BulkTargets> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { ok: false, problem: "body: expected an object with ids and/or groups" };
  const b = body as Record<string, unknown>;
  const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : form ? [v] : v);
  const rawIds = list(b.ids);
  const rawGroups = list(form ? b.group : b.groups);
  if (!Array.isArray(rawIds)) return { ok: false, problem: "ids: expected an array of integers" };
  if (!Array.isArray(rawGroups)) return { ok: false, problem: "groups: expected an array" };
  if (rawIds.length + rawGroups.length === 0)
    return { ok: false, problem: "ids: select at least one alert" };
  if (rawIds.length + rawGroups.length > MAX_TARGETS)
    return { ok: false, problem: `ids: at most ${MAX_TARGETS} alerts and groups at once` };
  const ids: number[] = [];
  for (const [i, raw] of rawIds.entries()) {
    const v = form && typeof raw === "string" && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
    if (!Number.isSafeInteger(v) || (v as number) < 1)
      return { ok: false, problem: `ids[${i}]: expected a positive integer` };
    ids.push(v as number);
  }
  const groups: GroupKey[] = [];
  for (const [i, raw] of rawGroups.entries()) {
    let value = raw;
    if (form) {
      try {
        value = JSON.parse(String(raw));
      } catch {
        return { ok: false, problem: `group[${i}]: expected {kind, subject, state} as JSON` };
      }
    }
    const g = groupOf(value, `${form ? "group" : "groups"}[${i}]`);
    if (!g.ok) return g;
    groups.push(g.value);
  }
  return { ok: true, value: { ids, groups } };
}

/** Where a form post goes back to: an Alerts page, never another site. */
export function returnPath(raw: unknown): string {
  return typeof raw === "string" && /^\/alerts(?:[/?][^\\]*)?$/.test(raw) && !raw.startsWith("//")
    ? raw
    : "/alerts";
}
