/**
 * Every example request /docs shows is sent to a real `iot serve` process, in the documented
 * order, and its answer checked: the documented status, and a JSON answer parsed with the
 * documented (strict) response schema — so an answer with a field the document does not name,
 * or a time that is not a string, fails here.
 */
import { expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import mqtt from "mqtt";
import { z } from "zod";
import { operations } from "../../src/http/openapi/index.ts";
import { useServeProcess } from "../support/use-serve.ts";
import { tinyJpeg } from "../support/jpeg.ts";
import { waitFor } from "../support/wait.ts";

const iot = useServeProcess("iot-examples-");

async function seed() {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${iot.serve.mqttPort}`);
  try {
    await client.publishAsync("hello/world", "FULL 3 2026-11-22 10:30:00", { qos: 1 });
    await client.publishAsync("hello/world", "40 4 2026-11-22 10:31:00", { qos: 1 });
    await client.publishAsync(
      "iot/pi-1/telemetry",
      JSON.stringify({ temperature: 21.5, humidity: 40 }),
      { qos: 1 },
    );
    await client.publishAsync("iot/cam-1/image", tinyJpeg(1), { qos: 1 });
  } finally {
    await client.endAsync();
  }
  // the seed's RTSP producer: a raw JPEG on rtsp-stream, so /video_feed has a frame to send
  const producer = new Kafka({
    brokers: [iot.serve.kafkaAddress],
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  await producer.send({ topic: "rtsp-stream", messages: [{ value: tinyJpeg(2) }] });
  await producer.disconnect();
  const get = async (path: string) => (await fetch(iot.http + path)).json();
  await waitFor(
    async () => (await get("/api/alerts?state=active")).some((a: { id: number }) => a.id === 1),
    30_000,
    "alert 1",
  );
  await waitFor(async () => (await get("/api/readings")).length > 0, 30_000, "a reading");
  await waitFor(
    async () => (await get("/api/images")).some((i: { id: number }) => i.id === 1),
    30_000,
    "image 1",
  );
  await waitFor(async () => (await get("/api/bins")).length === 2, 30_000, "two bin levels");
  await waitFor(
    async () => {
      // /video_feed sends its headers with its first frame
      const res = await fetch(`${iot.http}/video_feed`, {
        signal: AbortSignal.timeout(1000),
      }).catch(() => null);
      await res?.body?.cancel();
      return res?.status === 200;
    },
    30_000,
    "a video frame",
  );
}

test("every documented example answers as documented", async () => {
  await seed();
  let ran = 0;
  for (const op of operations)
    for (const ex of op.examples) {
      const where = `${op.method.toUpperCase()} ${ex.path}`;
      const res = await fetch(iot.http + ex.path, {
        method: op.method.toUpperCase(),
        redirect: "manual",
        headers:
          ex.body !== undefined
            ? { "content-type": "application/json" }
            : ex.form
              ? { "content-type": "application/x-www-form-urlencoded" }
              : {},
        body:
          ex.body !== undefined
            ? JSON.stringify(ex.body)
            : ex.form
              ? new URLSearchParams(ex.form)
              : undefined,
      });
      const spec = op.responses[res.status];
      const type = res.headers.get("content-type") ?? "";
      if (type.startsWith("multipart/")) await res.body?.cancel(); // the live video never ends
      const text = type.startsWith("multipart/") ? "" : await res.text();
      expect({ where, status: res.status, text: res.status === ex.status ? "" : text }).toEqual({
        where,
        status: ex.status,
        text: "",
      });
      expect({ where, documented: spec !== undefined }).toEqual({ where, documented: true });
      ran++;
      if (type.startsWith("application/json")) {
        expect({ where, schema: spec!.schema !== undefined }).toEqual({ where, schema: true });
        const parsed = spec!.schema!.safeParse(JSON.parse(text));
        expect({ where, issues: parsed.success ? [] : parsed.error.issues }).toEqual({
          where,
          issues: [],
        });
        if (spec!.example !== undefined)
          expect(spec!.schema!.safeParse(spec!.example).success).toBe(true);
      } else if (spec!.schema === undefined || !type) {
        const types = [
          ...(spec!.otherTypes ?? []),
          ...(spec!.contentType ? [spec!.contentType] : []),
        ];
        if (types.length)
          expect({ where, type: types.some((t) => type.startsWith(t)) }).toEqual({
            where,
            type: true,
          });
      } else {
        // a JSON answer documented, another type answered: only the documented other types
        expect({
          where,
          type,
          allowed: (spec!.otherTypes ?? []).some((t) => type.startsWith(t)),
        }).toMatchObject({ allowed: true });
        if (type.startsWith("text/csv"))
          expect(res.headers.get("content-disposition")).toMatch(
            /^attachment; filename="[a-z]+-\d{4}-\d{2}-\d{2}\.csv"$/,
          );
      }
    }
  expect(ran).toBeGreaterThan(30);
}, 60_000);

test("snake_case everywhere, and every time comes as an ISO string with its _ms twin", () => {
  const names: string[] = [];
  const walk = (s: unknown) => {
    if (!s || typeof s !== "object") return;
    const o = s as Record<string, unknown>;
    if (o.properties && typeof o.properties === "object") names.push(...Object.keys(o.properties));
    Object.values(o).forEach(walk);
  };
  for (const op of operations)
    for (const r of Object.values(op.responses))
      if (r.schema) walk(z.toJSONSchema(r.schema, { unrepresentable: "any" }));
  expect(names.filter((n) => !/^[a-z][a-z0-9_]*$/.test(n))).toEqual([]);
  const msNames = names.filter((n) => n.endsWith("_ms") && n !== "away_ms_today");
  expect(msNames.filter((n) => !names.includes(n.slice(0, -3)))).toEqual([]);
  expect(
    names.filter((n) => /(_at|^ts|since|last_seen)$/.test(n) && !names.includes(`${n}_ms`)),
  ).toEqual([]);
});
