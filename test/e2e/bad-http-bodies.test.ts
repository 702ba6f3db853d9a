/**
 * Every HTTP write path of `iot serve` against bodies that are not what it expects: not JSON,
 * a JSON array or scalar, wrong types, missing fields, empty, deeply nested, not UTF-8, the
 * wrong content type. Each gets a 4xx whose JSON reason names the field — never a 5xx — and the
 * server process lives on.
 */
import { describe, expect, test } from "bun:test";
import { useServeProcess } from "../support/use-serve.ts";

const iot = useServeProcess("iot-bad-http-");

type Body = string | Uint8Array<ArrayBuffer>;
const json = "application/json";
const form = "application/x-www-form-urlencoded";
const deep = "[".repeat(200_000) + "]".repeat(200_000);

/** Bodies every JSON route must refuse, with what the reason must name. */
const generic: Array<[what: string, type: string, body: Body, reason: RegExp]> = [
  ["not JSON", json, "{oops", /^body: invalid JSON$/],
  ["empty", json, "", /^body: invalid JSON$/],
  ["a JSON array", json, "[1,2]", /^body: .*object/],
  ["JSON null", json, "null", /^body: .*object/],
  ["a JSON string", json, '"in"', /^body: .*object/],
  ["deeply nested", json, deep, /^body: /],
  ["not UTF-8", json, new Uint8Array([0x7b, 0xff, 0xfe, 0x22, 0x7d]), /^body: invalid JSON$/],
  [
    "a form instead of JSON",
    form,
    "name=jane&value=in",
    /^content-type: expected application\/json, got/,
  ],
  [
    "JSON sent as text/plain",
    "text/plain",
    '{"name":"jane","value":"in"}',
    /^content-type: expected /,
  ],
];

/** Route by route: wrong types and missing fields, each naming its field. */
const specific: Record<string, Array<[unknown, RegExp]>> = {
  "/entrance": [
    [{}, /^name: /],
    [{ name: 5, value: "in" }, /^name: /],
    [{ name: "jane", value: 1 }, /^value: /],
    [{ name: "jane", value: "sideways" }, /^value: /],
    [{ name: "x".repeat(1000), value: "in" }, /^name: /],
  ],
  "/": [
    [{ name: "jane" }, /^value: /],
    [{ name: ["jane"], value: "in" }, /^name: /],
  ],
  "/office_status": [
    [{}, /^room_no: /],
    [{ room_no: [1], status: { temperature: 1 } }, /^room_no: /],
    [{ room_no: 1.5, status: { temperature: 1 } }, /^room_no: /],
    // a Kafka key and a SQLite integer: past 2^53 it would be dead-lettered after a 200
    [{ room_no: 2 ** 60, status: { temperature: 1 } }, /^room_no: expected an integer within/],
    [{ room_no: "99999999999999999999", status: { temperature: 1 } }, /^room_no: expected an/],
    [{ room_no: 1, status: "hot" }, /^status: /],
    [{ room_no: 1, status: {} }, /^status: needs temperature or humidity/],
    [{ room_no: 1, status: { temperature: "30" } }, /^status.temperature: /],
  ],
  "/office_rule": [
    [{}, /^room_no: /],
    [{ room_no: 1 }, /^value: /],
    [{ room_no: 1, value: "x" }, /^value: /],
    [{ room_no: 1, value: { schedule_id: "1", order: "insert" } }, /^value.schedule_id: /],
    [{ room_no: 1, value: { schedule_id: 1, order: "upsert" } }, /^value.order: /],
    [{ room_no: 1, value: { schedule_id: 1, order: "insert" } }, /^value.condition: /],
    [
      { room_no: 1, value: { schedule_id: 1, order: "insert", condition: { temperature: 3 } } },
      /^value.condition.temperature: /,
    ],
    [
      {
        room_no: 1,
        value: { schedule_id: 1, order: "insert", condition: { humidity: { agg_type: "sum" } } },
      },
      /^value.condition.humidity.agg_type: /,
    ],
  ],
};

async function post(path: string, body: Body, type = json) {
  const res = await fetch(`${iot.http}${path}`, {
    method: "POST",
    headers: { "content-type": type },
    body,
  });
  const text = await res.text();
  let message: string | undefined;
  try {
    message = JSON.parse(text).message;
  } catch {}
  return { status: res.status, message, text };
}

describe("bad bodies on every HTTP write path", () => {
  test("the JSON collector routes: 400 naming the field, for every bad body", async () => {
    const failures: string[] = [];
    const check = async (path: string, type: string, body: Body, reason: RegExp, what: string) => {
      const r = await post(path, body, type);
      const status = /^content-type/.test(reason.source.slice(1)) ? 415 : 400;
      if (r.status !== status || !reason.test(r.message ?? ""))
        failures.push(`${path} ${what}: ${r.status} ${r.text.slice(0, 120)}`);
    };
    for (const path of Object.keys(specific)) {
      for (const [what, type, body, reason] of generic) {
        // the rule form is the dashboard's: a form body is read as one, its fields then named
        const formRule = path === "/office_rule" && type === form;
        await check(path, type, body, formRule ? /^room_no: / : reason, what);
      }
      for (const [body, reason] of specific[path]!) {
        await check(path, json, JSON.stringify(body), reason, JSON.stringify(body).slice(0, 60));
      }
    }
    expect(failures).toEqual([]);
  });

  test("/status/<id>: anything but Active or Inactive is the seed's 400 Invalid status", async () => {
    const bodies: Array<[string, Body]> = [
      ...generic
        .filter(([, type]) => type !== "text/plain")
        .map(([, type, body]) => [type, body] as [string, Body]),
      [json, JSON.stringify({ status: 1 })],
      [json, JSON.stringify({ status: ["Active"] })],
      [json, JSON.stringify({ status: "active" })],
      [form, "status=Sleeping"],
      ["multipart/form-data; boundary=x", "--x\r\nbroken"],
    ];
    for (const [type, body] of bodies) {
      const r = await post("/status/dev-1", body, type);
      expect({ type, status: r.status, message: r.message }).toEqual({
        type,
        status: 400,
        message: "Invalid status",
      });
    }
  });

  test("/status/<id>: a text/plain body is 415 with the reason, not read as JSON", async () => {
    const r = await post("/status/dev-1", JSON.stringify({ status: "Active" }), "text/plain");
    expect(r).toMatchObject({ status: 415, message: expect.stringMatching(/^content-type: /) });
  });

  test("alert actions and /login: 4xx with a reason whatever the body; never 5xx", async () => {
    for (const [, type, body] of generic.filter(([, t]) => t !== "text/plain")) {
      for (const path of ["/api/alerts/abc/ack", "/api/alerts/1e3/clear"]) {
        expect(await post(path, body, type)).toMatchObject({
          status: 400,
          message: "id: expected an integer",
        });
      }
      expect(await post("/api/alerts/999999/ack", body, type)).toMatchObject({
        status: 404,
        message: "no active alert 999999",
      });
      expect(await post("/login", body, type)).toMatchObject({
        status: 401,
        message: "invalid token",
      });
    }
    expect(iot.serve.proc.exitCode).toBeNull();
    expect((await fetch(`${iot.http}/healthz`)).status).toBe(200);
  });
});
