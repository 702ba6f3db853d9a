import type { RecordProducer } from "../bus/index.ts";
import type { Logger } from "../core/log/index.ts";

/**
 * kafkajs refuses to send before `connect()` succeeded; when Kafka is down at start the bridge
 * spools meanwhile and keeps trying in the background.
 */
export function keepConnecting(producer: RecordProducer, log: Logger) {
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = (): Promise<void> =>
    producer.connect().then(
      () => void (failures > 0 && log.info("kafka producer connected")),
      (err) => {
        if (stopped) return;
        if (failures++ === 0)
          log.warn("kafka producer cannot connect; spooling meanwhile", { err });
        timer = setTimeout(() => void attempt(), 2000);
      },
    );
  return {
    first: attempt(),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
