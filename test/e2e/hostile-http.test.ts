/**
 * A hostile or careless world over HTTP, against a real `iot serve` on loopback (open mode):
 * a JSON body sent as text/plain (what a cross-origin page may send without asking) is 415
 * and goes nowhere; a write carrying another origin is 403; a Host that is not ours (DNS
 * rebinding) gets nothing to read; the CSV export defuses formulas but keeps numbers.
 */
import { describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { connect } from "node:net";
import { useServeProcess } from "../support/use-serve.ts";
import { waitFor } from "../support/wait.ts";

const iot = useServeProcess("iot-hostile-http-");
const json = { "content-type": "application/json" };

describe("writes from elsewhere", () => {
  test("a text/plain JSON body is 415 with the reason, and nobody is recorded", async () => {
    const res = await fetch(`${iot.http}/entrance`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ name: "csrf-victim", value: "out" }),
    });
    expect(res.status).toBe(415);
    expect((await res.json()).message).toMatch(/^content-type: expected application\/json/);
    await Bun.sleep(1000);
    const people = await (await fetch(`${iot.http}/api/people`)).json();
    expect(people.map((p: { name: string }) => p.name)).not.toContain("csrf-victim");
  });

  test("another origin may not change a device's status nor add a rule; this origin and scripts may", async () => {
    const evil = { ...json, origin: "http://127.0.0.1:1" };
    const status = await fetch(`${iot.http}/status/csrf-dev`, {
      method: "POST",
      headers: evil,
      body: JSON.stringify({ status: "Inactive" }),
    });
    expect(status.status).toBe(403);
    const rule = await fetch(`${iot.http}/office_rule`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "cross-site",
      },
      body: "room_no=1&schedule_id=1&order=insert&metric=temperature&agg_type=max&up=-100",
    });
    expect(rule.status).toBe(403);
    const devices = await (await fetch(`${iot.http}/api/devices`)).json();
    expect(devices.map((d: { id: string }) => d.id)).not.toContain("csrf-dev");
    // the same origin (the dashboard) and a script without Origin (curl, the seeds) still work
    const own = await fetch(`${iot.http}/status/csrf-dev`, {
      method: "POST",
      headers: { ...json, origin: iot.http, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ status: "Inactive" }),
    });
    expect(await own.json()).toEqual({ message: "Status of csrf-dev updated to Inactive" });
    const script = await fetch(`${iot.http}/entrance`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: "jane", value: "in" }),
    });
    expect(script.status).toBe(200);
  });

  test("a Host name that is not ours (DNS rebinding) reads nothing: API, pages, SSE", async () => {
    for (const path of ["/api/devices", "/", "/events?view=devices", "/api/people?format=csv"]) {
      const res = await fetch(`${iot.http}${path}`, {
        headers: { host: `rebind.example:${iot.serve.httpPort}` },
      });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect((await res.json()).message).toContain("is not a name this server answers to");
    }
    const local = await fetch(`${iot.http}/api/devices`, {
      headers: { host: `localhost:${iot.serve.httpPort}` },
    });
    expect(local.status).toBe(200);
  });

  test("a Host header that makes no URL (empty, '[', 'a b', a bad port) is 400, never 500", async () => {
    // found by the fuzzer: Bun leaves such a request's URL relative
    for (const host of ["", "[", "a b", "fz:99999", "a@b", "fz/x"]) {
      const head = await rawFirstLine(
        iot.serve.httpPort,
        `GET /api/readings HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      );
      expect({ host, head }).toEqual({ host, head: "HTTP/1.1 400 Bad Request" });
    }
  });
});

/** The status line the server answers to one raw request. */
function rawFirstLine(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let got = "";
    socket.on("data", (d: Buffer) => {
      got += d.toString("latin1");
      if (got.includes("\r\n")) {
        socket.destroy();
        resolve(got.split("\r\n")[0]!);
      }
    });
    socket.on("error", reject);
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(request)}`));
    });
  });
}

describe("CSV export", () => {
  test("a formula in a name is quoted; a negative temperature stays a number", async () => {
    const formula = '=HYPERLINK("http://evil.example","x")';
    await fetch(`${iot.http}/entrance`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: formula, value: "in" }),
    });
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${iot.serve.mqttPort}`, {
      reconnectPeriod: 0,
    });
    await client.publishAsync("iot/cold-1/telemetry", JSON.stringify({ temperature: -3.5 }), {
      qos: 1,
    });
    await client.endAsync();
    await waitFor(
      async () =>
        (await (await fetch(`${iot.http}/api/readings?device_id=cold-1`)).json()).length === 1,
      15_000,
      "the cold reading",
    );
    await waitFor(
      async () => (await (await fetch(`${iot.http}/api/people`)).text()).includes("HYPERLINK"),
      15_000,
      "the person",
    );
    const people = await (await fetch(`${iot.http}/api/people?format=csv`)).text();
    expect(people).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(people).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const readings = await (
      await fetch(`${iot.http}/api/readings?device_id=cold-1&format=csv`)
    ).text();
    expect(readings).toMatch(/,-3\.5(,|\r\n)/);
    expect(readings).not.toContain("'-3.5");
  });
});
