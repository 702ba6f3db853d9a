import { describe, expect, test } from "bun:test";
import { EventBus } from "../../events/index.ts";
import { openStore } from "../../store/index.ts";
import { alertRows } from "../../store/alerts.ts";
import { apiRoutes } from "./api.ts";
import { engineOf } from "../../../test/support/sqlite-engine.ts";

/** The API over a real SQLite store: bin 3 fired 3 times (2 cleared), room 1 rule 1 open. */
function setup() {
  const store = openStore(":memory:");
  const bus = new EventBus();
  const events: string[] = [];
  bus.subscribe((e) => events.push(e.type));
  const rows = alertRows(store.db);
  for (let i = 0; i < 2; i++) rows.clear(rows.open("bin-full", "bin 3", "full", "warning", i), i);
  const bin = rows.open("bin-full", "bin 3", "full", "warning", 10);
  const room = rows.open("room-rule", "room 1 rule 1", "hot", "warning", 11);
  const app = apiRoutes({ engine: engineOf(store.db), bus });
  const send = (path: string, body: string, type = "application/json") =>
    app.request(path, { method: "POST", headers: { "content-type": type }, body });
  return { app, send, events, bin, room };
}

describe("alerts API", () => {
  test("groups: the page's listing as JSON, snake_case, with totals", async () => {
    const { app } = setup();
    const res = await app.request("/api/alerts/groups?kind=bin-full&size=1");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ total_groups: 2, total_alerts: 3, page: 1, pages: 2, size: 1 });
    expect(body.groups).toEqual([
      expect.objectContaining({ subject: "bin 3", state: "open", count: 1 }),
    ]);
    expect(body.by_state).toEqual({ open: 1, acknowledged: 0, cleared: 2 });
    const count = await (await app.request("/api/alerts/count?state=open")).json();
    expect(count).toEqual({ state: "open", count: 2 });
  });

  test("bad queries are 400 with the reason", async () => {
    const { app } = setup();
    for (const [q, reason] of [
      ["state=gone", "state:"],
      ["room=first", "room:"],
      ["page=0", "page:"],
      ["size=1000", "size:"],
    ]) {
      const res = await app.request(`/api/alerts/groups?${q}`);
      expect(res.status).toBe(400);
      expect((await res.json()).message).toStartWith(reason!);
    }
    expect((await app.request("/api/alerts/count?state=x")).status).toBe(400);
  });

  test("acknowledge and clear many by ids or groups (JSON): what changed, one live event", async () => {
    const { send, events, bin, room } = setup();
    let res = await send("/api/alerts/ack", JSON.stringify({ ids: [bin, room, 1] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ state: "acknowledged", changed: [bin, room], count: 2 });
    expect(events).toEqual(["alert"]);
    res = await send(
      "/api/alerts/clear",
      JSON.stringify({ groups: [{ kind: "bin-full", subject: "bin 3", state: "acknowledged" }] }),
    );
    expect(await res.json()).toEqual({ state: "cleared", changed: [bin], count: 1 });
    // nothing left to change: no event
    res = await send("/api/alerts/clear", JSON.stringify({ ids: [bin] }));
    expect(await res.json()).toEqual({ state: "cleared", changed: [], count: 0 });
    expect(events).toEqual(["alert", "alert"]);
  });

  test("bad bodies are 400 with the reason, other types 415", async () => {
    const { send } = setup();
    for (const [body, reason] of [
      ["{}", "ids: select at least one"],
      ['{"ids": 3}', "ids: expected an array"],
      ['{"ids": ["x"]}', "ids[0]:"],
      ['{"ids": [1.5]}', "ids[0]:"],
      [
        '{"groups": [{"kind": "bin-full", "subject": "bin 3", "state": "gone"}]}',
        "groups[0].state",
      ],
      ['{"groups": [{"kind": "", "subject": "bin 3", "state": "open"}]}', "groups[0].kind"],
      ["[1]", "body:"],
      ["not json", "body: invalid JSON"],
      [JSON.stringify({ ids: Array.from({ length: 1001 }, (_, i) => i + 1) }), "ids: at most"],
    ]) {
      const res = await send("/api/alerts/ack", body!);
      expect(res.status).toBe(400);
      expect((await res.json()).message).toStartWith(reason!);
    }
    expect((await send("/api/alerts/ack", '{"ids":[1]}', "text/plain")).status).toBe(415);
  });

  test("a form (the page's checkboxes) acknowledges and goes back to the page it came from", async () => {
    const { send, bin, room } = setup();
    const group = JSON.stringify({ kind: "room-rule", subject: "room 1 rule 1", state: "open" });
    const form = new URLSearchParams([
      ["ids", String(bin)],
      ["group", group],
      ["return", "/alerts?state=open&kind=bin-full"],
    ]);
    const res = await send("/api/alerts/ack", form.toString(), "application/x-www-form-urlencoded");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/alerts?state=open&kind=bin-full");
    const after = await send(
      "/api/alerts/clear",
      new URLSearchParams([
        ["ids", String(room)],
        ["return", "/alerts/" + room],
      ]).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(after.headers.get("location")).toBe(`/alerts/${room}`);
    // never to another site
    for (const away of ["https://evil.example/", "//evil.example/alerts", "/alertsx", "/\\evil"]) {
      const r = await send(
        "/api/alerts/ack",
        new URLSearchParams([
          ["ids", "1"],
          ["return", away],
        ]).toString(),
        "application/x-www-form-urlencoded",
      );
      expect(r.headers.get("location")).toBe("/alerts");
    }
    const bad = await send("/api/alerts/ack", "group=%7Bnope", "application/x-www-form-urlencoded");
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toStartWith("group[0]:");
  });
});
