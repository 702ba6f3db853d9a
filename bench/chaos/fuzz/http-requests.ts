/**
 * HTTP requests for the fuzzer: every route (collector, JSON API, dashboard, static, login,
 * SSE, video feed, health, metrics) with odd query strings, and the collector's JSON bodies
 * valid or mutated (cut, flipped, wrong types, deep nesting, huge numbers, lone surrogates,
 * duplicate keys), with honest, chunked or lying framing; then a fraction of the raw breaks of
 * test/support/malformed-http.ts (bad request lines, huge headers, bad chunk sizes, noise).
 *
 * Names, rooms and device ids come from small fuzz-only pools, so what valid requests create
 * (people, rooms, rules, devices) stays bounded by design.
 */
import { malformedHttp } from "../../../test/support/malformed-http.ts";
import { Gen } from "./gen.ts";

const devices = ["fz-0", "fz-1", "fz-2", "fz-3"];

function validBody(g: Gen, path: string): unknown {
  if (path === "/entrance" || path === "/")
    return { name: g.pick(["fz-ann", "fz-bob", "fz-cid"]), value: g.pick(["in", "out"]) };
  if (path === "/office_status")
    return {
      room_no: 900 + g.int(4),
      status: { humidity: g.pick([10, 55.5, 0]), temperature: g.pick([30, -5, 21.5]) },
    };
  if (path === "/office_rule") {
    const bound = () => (g.chance(0.5) ? null : g.pick([0, 20, 35.5, -10]));
    return {
      room_no: 900 + g.int(4),
      value: {
        schedule_id: 1 + g.int(4),
        order: g.pick(["insert", "update", "delete"]),
        condition: {
          temperature: { agg_type: g.pick(["min", "mean", "max"]), up: bound(), down: bound() },
          humidity: { agg_type: g.pick(["min", "mean", "max"]), up: bound(), down: bound() },
        },
      },
    };
  }
  return { status: g.pick(["Active", "Inactive"]) };
}

const weird = [
  null,
  true,
  -0,
  1e308,
  -1e308,
  9007199254740993,
  "",
  "\ud800",
  "x".repeat(5000),
  [],
  {},
  [[[[[]]]]],
];

/** Replaces one value somewhere in the object with a wrong-typed or extreme one. */
function mutateValue(g: Gen, v: unknown): unknown {
  if (v === null || typeof v !== "object") return g.pick(weird);
  const copy: Record<string, unknown> = Array.isArray(v) ? ([...v] as never) : { ...v };
  const keys = Object.keys(copy);
  if (keys.length === 0 || g.chance(0.2)) return g.pick(weird);
  const k = g.pick(keys);
  if (g.chance(0.15)) delete copy[k];
  else copy[k] = mutateValue(g, copy[k]);
  return copy;
}

function bodyText(g: Gen, path: string): string {
  const valid = validBody(g, path);
  switch (g.int(10)) {
    case 0:
    case 1:
    case 2:
      return JSON.stringify(valid);
    case 3:
    case 4:
      return JSON.stringify(mutateValue(g, valid));
    case 5: {
      const s = JSON.stringify(valid);
      return s.slice(0, g.int(s.length)); // cut
    }
    case 6: {
      const s = [...JSON.stringify(valid)];
      for (let i = 0, n = 1 + g.int(3); i < n; i++) s[g.int(s.length)] = g.text(1) || "\u0000";
      return s.join("");
    }
    case 7:
      return g.pick([
        "[".repeat(20000),
        '{"a":'.repeat(5000),
        "\ufeff{}",
        '{"room_no":1,"room_no":2}',
      ]);
    case 8:
      return JSON.stringify(valid).replace(/"([a-z_]+)":/, (_m, k) => `"${k.toUpperCase()}":`);
    default:
      return g.pick(["", "null", "0", '"str"', "{}", "not json"]);
  }
}

function get(g: Gen): string {
  const device = g.pick(devices);
  const q = () =>
    g.pick([
      "",
      "?limit=1",
      "?limit=-1",
      "?limit=99999999999",
      "?limit=abc",
      `?device_id=${device}`,
      "?state=open",
      "?state=%00",
      "?view=rooms",
      "?view=nope",
      "?%zz",
    ]);
  const path = g.pick([
    "/healthz",
    "/metrics",
    "/",
    "/rooms",
    "/people",
    "/devices",
    "/bins",
    "/cameras",
    "/alerts",
    "/login",
    "/api/readings",
    "/api/images",
    "/api/bins",
    "/api/devices",
    "/api/rooms",
    "/api/rules",
    "/api/people",
    "/api/alerts",
    "/images/1.jpg",
    "/images/..%2f..%2fetc%2fpasswd",
    "/static/htmx.min.js",
    "/static/../../package.json",
    "/nope",
    "/events",
    "/video_feed",
  ]);
  // streams (SSE, MJPEG) are rare: they hold the connection until the fuzzer closes it
  if ((path === "/events" || path === "/video_feed") && g.chance(0.9))
    return `GET /healthz HTTP/1.1\r\nHost: fz\r\n\r\n`;
  return `${g.pick(["GET", "GET", "HEAD", "OPTIONS", "DELETE"])} ${path}${q()} HTTP/1.1\r\nHost: fz\r\n${g.chance(0.1) ? "Accept: text/event-stream\r\n" : ""}\r\n`;
}

function post(g: Gen): Buffer {
  const path = g.pick([
    "/entrance",
    "/",
    "/office_status",
    "/office_rule",
    `/status/${g.pick(devices)}`,
    "/status/",
    "/api/alerts/1/ack",
    "/api/alerts/x/clear",
  ]);
  const body = Buffer.from(bodyText(g, path.startsWith("/status/") ? "/status" : path));
  const type = g.pick([
    "application/json",
    "application/json",
    "application/json; charset=utf-16",
    "text/plain",
    "application/x-www-form-urlencoded",
    "",
  ]);
  const head = `POST ${path} HTTP/1.1\r\nHost: fz\r\n${type ? `Content-Type: ${type}\r\n` : ""}`;
  if (g.chance(0.15)) {
    // chunked, sometimes with odd chunk boundaries and extensions
    const cut = g.int(body.length + 1);
    const chunk = (b: Buffer) =>
      b.length ? `${b.length.toString(16)}${g.chance(0.1) ? ";ext=1" : ""}\r\n${b}\r\n` : "";
    return Buffer.from(
      `${head}Transfer-Encoding: chunked\r\n\r\n${chunk(body.subarray(0, cut))}${chunk(body.subarray(cut))}0\r\n\r\n`,
    );
  }
  return Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n`), body]);
}

/**
 * An HTTP session generator: `requests` pipelined keep-alive requests; most sessions end with
 * one raw break from malformed-http.ts.
 */
export function httpSessions(seed: number) {
  const g = new Gen(seed);
  return (requests: number): Buffer[] =>
    Array.from({ length: requests }, (_, i) => {
      const broken = i === requests - 1 ? g.chance(0.5) : g.chance(0.01);
      if (broken) return malformedHttp(g.rnd, 1)[0]!;
      return g.chance(0.5) ? Buffer.from(get(g)) : post(g);
    });
}
