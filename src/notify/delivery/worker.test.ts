import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HttpReceiver } from "../../../test/support/notify-receivers.ts";
import { useKafkaBroker } from "../../../test/support/kafka.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { wrapKafkajsProducer } from "../../bus/index.ts";
import { createKafka } from "../../core/kafka/index.ts";
import { createLogger } from "../../core/log/index.ts";
import { MetricsRegistry } from "../../metrics/index.ts";
import { openStore } from "../../store/index.ts";
import { notifyRows } from "../../store/notify.ts";
import { Deliveries } from "../../../views/components/deliveries.tsx";
import { parseNotifyConfig } from "../config/schema.ts";
import { NotifySettings } from "../config/settings.ts";
import type { AlertEvent } from "./event.ts";
import { planEvent } from "./plan.ts";
import { engineOf } from "../../../test/support/sqlite-engine.ts";
import { startWorker } from "./worker.ts";

const kafka = useKafkaBroker("iot-notify-worker-");
let http: HttpReceiver;
beforeAll(async () => void (http = await HttpReceiver.start()));
afterAll(() => http.down());

const event = (
  id: number,
  subject: string,
  event: "raised" | "cleared" = "raised",
): AlertEvent => ({
  id,
  alert_id: id,
  event,
  kind: "bin-full",
  subject,
  message: `${subject} is FULL`,
  severity: "warning",
  at: 1_800_000_000_000,
});

function setup(extra: Record<string, unknown> = {}) {
  const store = openStore(":memory:");
  const config = parseNotifyConfig({
    channels: {
      hook: { type: "webhook", url: http.url("/w"), secret: "0123456789abcdef" },
      phone: { type: "ntfy", server: http.url(""), topic: "t" },
    },
    routes: [{ channels: ["hook", "phone"] }],
    retry_base_ms: 50,
    retry_max_ms: 100,
    ...extra,
  });
  const settings = new NotifySettings(store.db, config);
  const engine = engineOf(store.db);
  const plan = (e: AlertEvent, now = Date.now()) =>
    engine.transaction((tx) =>
      planEvent(tx, e, config, new Set(Object.keys(config.channels)), now),
    );
  return { store, engine, config, settings, plan, rows: notifyRows(store.db) };
}

describe("plan", () => {
  test("queues per channel; a redelivered event adds nothing; a repeat within the window collapses", async () => {
    const { plan, rows } = setup();
    expect([...(await plan(event(1, "bin 3"))).values()]).toEqual(["queued", "queued"]);
    expect([...(await plan(event(1, "bin 3"))).values()]).toEqual(["already", "already"]);
    // still on its way: the repeat is collapsed, not queued behind it
    expect([...(await plan(event(2, "bin 3"))).values()]).toEqual(["collapsed", "collapsed"]);
    expect([...(await plan(event(3, "bin 4"))).values()]).toEqual(["queued", "queued"]);
    expect(rows.queueLength()).toBe(4);
  });

  test("after the window a repeat is sent again, counting the collapsed ones", async () => {
    const { plan, rows } = setup({ collapse_minutes: 60 });
    const t0 = 1_800_000_000_000;
    rows.record({
      alertId: 1,
      eventId: "1",
      event: "raised",
      alertKey: "bin-full bin 3",
      channel: "hook",
      attempt: 1,
      status: "sent",
      reason: null,
      at: t0,
    });
    expect((await plan(event(2, "bin 3"), t0 + 59 * 60_000)).get("hook")).toBe("collapsed");
    expect((await plan(event(3, "bin 3"), t0 + 61 * 60_000)).get("hook")).toBe("queued");
    expect(rows.collapsedSince("hook", "bin-full bin 3", "raised", t0)).toBe(1);
  });
});

describe("worker", () => {
  test("retries with backoff until taken; the receiver gets it once", async () => {
    const { engine, settings, plan, rows } = setup({ attempts: 20 });
    const k = createKafka({
      brokers: [kafka.broker.address],
      clientId: "t",
      log: createLogger("silent"),
    });
    const producer = k.producer();
    await producer.connect();
    http.status = 503;
    const worker = startWorker({
      engine,
      settings,
      deadLetters: wrapKafkajsProducer(producer),
      log: createLogger("silent"),
      metrics: new MetricsRegistry(),
      everyMs: 20,
    });
    try {
      await plan(event(10, "bin 10"));
      worker.wake();
      await waitFor(
        () => rows.forAlert(10).filter((r) => r.status === "failed").length >= 4,
        10_000,
        "failed attempts",
      );
      http.status = 200;
      await waitFor(() => rows.queueLength() === 0, 10_000, "the queue to empty");
      const hook = rows.forAlert(10).filter((r) => r.channel === "hook");
      expect(hook.at(-1)).toMatchObject({ status: "sent" });
      expect(hook.map((r) => r.attempt)).toEqual(hook.map((_, i) => i + 1));
      expect(hook.slice(0, -1).every((r) => r.reason?.startsWith("HTTP 503"))).toBe(true);
      const ok = http.on("/w").filter((r) => r.body.includes("bin 10"));
      expect(ok).toHaveLength(1);
    } finally {
      http.status = 200;
      await worker.stop();
      await producer.disconnect();
    }
  });

  test("idle it does not poll: a retry is attempted when its backoff ends, without a periodic look", async () => {
    const { engine, settings, plan, rows } = setup({ retry_base_ms: 200, retry_max_ms: 200 });
    const producer = { send: async () => {} } as unknown as Parameters<
      typeof startWorker
    >[0]["deadLetters"];
    http.status = 503;
    // the periodic look is an hour away: only the retry's own time can bring the next attempt
    const worker = startWorker({
      engine,
      settings,
      deadLetters: producer,
      log: createLogger("silent"),
      metrics: new MetricsRegistry(),
      everyMs: 3_600_000,
    });
    try {
      await plan(event(30, "bin 30"));
      worker.wake();
      await waitFor(
        () => rows.forAlert(30).filter((r) => r.status === "failed").length >= 2,
        10_000,
        "the first attempts to fail",
      );
      http.status = 200;
      await waitFor(() => rows.queueLength() === 0, 10_000, "the retries to be taken");
      expect(rows.forAlert(30).filter((r) => r.status === "sent")).toHaveLength(2);
      // a row queued behind its back (another process) waits for the periodic look
      rows.queue({
        eventId: "31",
        event: "raised",
        alertKey: "bin-full bin 31",
        channel: "hook",
        payload: JSON.stringify(event(31, "bin 31")),
        nextAt: Date.now(),
      });
      await Bun.sleep(500);
      expect(rows.queueLength()).toBe(1);
    } finally {
      http.status = 200;
      await worker.stop();
    }
  });

  test("after the last attempt: dead-lettered, on iot.dead-letter, shown as not delivered", async () => {
    const { engine, settings, plan, rows } = setup({ attempts: 3 });
    const k = createKafka({
      brokers: [kafka.broker.address],
      clientId: "t",
      log: createLogger("silent"),
    });
    const producer = k.producer();
    await producer.connect();
    const consumer = k.consumer({ groupId: "dead-letter-reader" });
    const letters: Array<{ reason: string; value: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topics: ["iot.dead-letter"], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void letters.push({
          reason: String(message.headers?.reason),
          value: String(message.value),
        }),
    });
    http.status = 500;
    const worker = startWorker({
      engine,
      settings,
      deadLetters: wrapKafkajsProducer(producer),
      log: createLogger("silent"),
      metrics: new MetricsRegistry(),
      everyMs: 20,
    });
    try {
      await plan(event(20, "bin 20"));
      worker.wake();
      await waitFor(() => rows.queueLength() === 0, 10_000, "the attempts to run out");
      const hook = rows.forAlert(20).filter((r) => r.channel === "hook");
      expect(hook.map((r) => r.status)).toEqual(["failed", "failed", "failed", "dead-lettered"]);
      await waitFor(() => letters.length >= 2, 15_000, "the dead letters");
      const mine = letters.find((l) => l.reason.startsWith("not delivered to hook"));
      expect(mine!.reason).toBe(`not delivered to hook: HTTP 500 from 127.0.0.1:${http.port}: ok`);
      expect(JSON.parse(mine!.value)).toMatchObject({ alert_id: 20, subject: "bin 20" });
      const html = String(Deliveries({ rows: rows.forAlert(20) }));
      expect(html).toContain(`not delivered: HTTP 500 from 127.0.0.1:${http.port}`);
    } finally {
      http.status = 200;
      await worker.stop();
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
