/**
 * A sink keeping state per partition hears of every assignment before the batches that follow
 * it — on the real embedded broker, with a second member joining the group, through kafkajs and
 * through the in-process bus.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { useKafkaBroker } from "../../test/support/kafka.ts";
import { waitFor } from "../../test/support/wait.ts";
import { inProcessBus, kafkajsBus, wrapKafkajsProducer } from "../bus/index.ts";
import { createKafka } from "../core/kafka/index.ts";
import { silentLogger } from "../core/log/index.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { runSink, type RunningSink, type Sink } from "./run-sink.ts";

const env = useKafkaBroker("iot-assign-");
const running: RunningSink[] = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
});

describe.each(["kafkajs", "in-process"] as const)("runSink and assignments (%s)", (kind) => {
  test("onAssign before the first batch, and again when the group rebalances", async () => {
    const kafka = createKafka({ brokers: [env.broker.address], clientId: "t", log: silentLogger });
    const producer = kafka.producer();
    await producer.connect();
    const member = (name: string) => {
      const seen: string[] = [];
      const sink: Sink = {
        name: `assign-${kind}`,
        topics: [`assign-${kind}`],
        onAssign: () => void seen.push("assign"),
        handle: (records) => {
          seen.push(...records.map(() => "record"));
          return [];
        },
      };
      return { name, seen, sink };
    };
    const deps = {
      kafka: kind === "kafkajs" ? kafkajsBus(kafka) : inProcessBus(env.broker.context),
      deadLetters: wrapKafkajsProducer(producer),
      log: silentLogger,
      metrics: new MetricsRegistry(),
    };
    const a = member("a");
    running.push(await runSink(a.sink, deps));
    await producer.send({ topic: `assign-${kind}`, messages: [{ key: "k", value: "1" }] });
    await waitFor(() => a.seen.includes("record"), 30_000, "a's first record");
    expect(a.seen[0]).toBe("assign");

    const b = member("b");
    running.push(await runSink(b.sink, deps));
    await waitFor(
      () => a.seen.filter((s) => s === "assign").length >= 2 && b.seen.includes("assign"),
      30_000,
      "the rebalance told to both",
    );
    await producer.disconnect();
  }, 60_000);
});
