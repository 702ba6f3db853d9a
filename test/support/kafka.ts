import { afterAll, beforeAll } from "bun:test";
import {
  startKafkaBroker,
  type KafkaBroker,
  type KafkaBrokerOptions,
} from "../../src/kafka/broker/index.ts";
import { tempDirs } from "./temp.ts";

/** An embedded broker on a free port for the whole test file, stopped and cleaned up after. */
export function useKafkaBroker(prefix: string, options: Partial<KafkaBrokerOptions> = {}) {
  const dirs = tempDirs(prefix);
  const handle = { broker: undefined as unknown as KafkaBroker, dirs };
  beforeAll(async () => {
    handle.broker = await startKafkaBroker({
      host: "127.0.0.1",
      port: 0,
      dataDir: dirs.make(),
      defaultPartitions: 2,
      ...options,
    });
  });
  afterAll(async () => {
    await handle.broker.stop();
    dirs.cleanup();
  });
  return handle;
}
