import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig } from "kafkajs";
import { isKafkaStorageError } from "../disk/errors.ts";
import type { Logger } from "../log/index.ts";
import { boundGzipDecompression, type RecordLimits } from "./bounded-gzip.ts";
import { fixKafkajsIdleLoop } from "./idle-loop-fix.ts";

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  log: Logger;
  /** SASL/PLAIN credentials when the broker is protected. */
  sasl?: { username: string; password: string };
  /** how far fetched gzip batches may inflate, and the largest record a consumer gets whole */
  limits?: RecordLimits;
}

/**
 * The one way `iot` makes a kafkajs client — for the embedded broker and for an external
 * cluster alike — with kafkajs's logs routed into ours (they are chatty: debug unless an error).
 */
export function createKafka({ brokers, clientId, log, sasl, limits }: KafkaClientOptions): Kafka {
  fixKafkajsIdleLoop();
  boundGzipDecompression(limits);
  const config: KafkaConfig = {
    clientId,
    brokers,
    logLevel: log.enabled("debug") ? KafkaLogLevel.DEBUG : KafkaLogLevel.ERROR,
    logCreator: () => (entry) => {
      const { message, ...fields } = entry.log;
      const line = `kafkajs ${entry.namespace}: ${message}`;
      // a broker refusing writes for a full disk is logged once by its disk watch, not per retry
      const diskFull = isKafkaStorageError(`${message} ${String(fields.error ?? "")}`);
      if (entry.level <= KafkaLogLevel.ERROR && !diskFull) log.warn(line, fields);
      else log.debug(line, fields);
    },
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
  };
  if (sasl) config.sasl = { mechanism: "plain", ...sasl };
  return new Kafka(config);
}
