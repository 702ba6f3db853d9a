/**
 * Three "processes" (a bus and a relay each) on one embedded Kafka broker over TCP: a consumers
 * process that only sends, and two dashboard processes that send and receive.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { useKafkaBroker } from "../../../test/support/kafka.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { createKafka } from "../../core/kafka/index.ts";
import { silentLogger } from "../../core/log/index.ts";
import { MetricsRegistry } from "../../metrics/index.ts";
import { EventBus, type IotEventType } from "../bus.ts";
import { kafkaChangeTransport, changesTopic } from "./kafka.ts";
import { ChangeRelay } from "./relay.ts";

const kafka = useKafkaBroker("iot-relay-");
const relays: ChangeRelay[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
});

async function process(origin: string, receive: boolean) {
  const client = createKafka({
    brokers: [kafka.broker.address],
    clientId: origin,
    log: silentLogger,
  });
  const bus = new EventBus();
  const heard: IotEventType[] = [];
  bus.subscribe((e) => heard.push(e.type));
  const relay = new ChangeRelay(
    bus,
    await kafkaChangeTransport(client, silentLogger),
    { origin, send: true, receive, intervalMs: 100 },
    silentLogger,
    new MetricsRegistry(),
  );
  relays.push(relay);
  await relay.start();
  return { bus, heard, client };
}

describe("change relay over Kafka", () => {
  test("a burst in one process reaches the others' buses, coalesced, never echoed or sent again", async () => {
    const consumers = await process("consumers-1", false);
    const a = await process("collector-a", true);
    const b = await process("collector-b", true);
    const admin = consumers.client.admin();
    await admin.connect();
    const records = async () => Number((await admin.fetchTopicOffsets(changesTopic))[0]!.high);
    // the dashboards' groups have joined once a change sent now reaches them
    await waitFor(
      async () => {
        consumers.bus.publish({ type: "bin" });
        await Bun.sleep(200);
        return a.heard.includes("bin") && b.heard.includes("bin");
      },
      30_000,
      "the tails are running",
    );
    await Bun.sleep(500);
    const before = await records();
    a.heard.length = 0;
    b.heard.length = 0;
    for (let i = 0; i < 1000; i++) consumers.bus.publish({ type: "reading" });
    await waitFor(
      async () => a.heard.includes("reading") && b.heard.includes("reading"),
      10_000,
      "the burst reached both dashboards",
    );
    await Bun.sleep(500); // anything sent again would have come back by now
    // 1,000 events are one record (two if a send was already under way); a and b sent nothing
    expect(await records()).toBeLessThanOrEqual(before + 2);
    expect(a.heard.filter((k) => k === "reading").length).toBeLessThanOrEqual(2);

    // a's own change: heard once in a (when it happened), once in b, and not in the consumers
    a.heard.length = 0;
    b.heard.length = 0;
    a.bus.publish({ type: "rule" });
    await waitFor(async () => b.heard.includes("rule"), 10_000, "a's change reached b");
    await Bun.sleep(500);
    expect(a.heard).toEqual(["rule"]);
    expect(b.heard).toEqual(["rule"]);
    expect(consumers.heard.filter((k) => k === "rule")).toEqual([]);
    await admin.disconnect();
  }, 60_000);
});
