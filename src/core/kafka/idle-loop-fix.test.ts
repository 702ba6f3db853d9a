import { afterAll, expect, test } from "bun:test";
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";
import { tempDirs } from "../../../test/support/temp.ts";
import { startKafkaBroker } from "../../kafka/broker/index.ts";
import { silentLogger } from "../log/index.ts";
import { createKafka } from "./kafka.ts";

const dirs = tempDirs("iot-idle-loop-");
afterAll(() => dirs.cleanup());

test("an idle kafkajs connection does not re-check its request queue every millisecond", async () => {
  const broker = await startKafkaBroker({ host: "127.0.0.1", port: 0, dataDir: dirs.make() });
  const producer = createKafka({
    brokers: [broker.address],
    clientId: "idle",
    log: silentLogger,
  }).producer();
  const proto = (RequestQueue as unknown as { prototype: { checkPendingRequests(): void } })
    .prototype;
  const original = proto.checkPendingRequests;
  let checks = 0;
  proto.checkPendingRequests = function (this: unknown) {
    checks++;
    return original.call(this);
  };
  try {
    await producer.connect();
    await producer.send({ topic: "idle", messages: [{ value: "one" }] });
    checks = 0;
    await Bun.sleep(300); // idle: kafkajs 2.2.4 alone checks ~300 times per connection here
    expect(checks).toBeLessThan(10);
  } finally {
    proto.checkPendingRequests = original;
    await producer.disconnect();
    await broker.stop();
  }
});
