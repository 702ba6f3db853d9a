import { fitToFdLimit, openFilesLimit } from "../limits/index.ts";
import type { Logger } from "../core/log/index.ts";
import type { ServeOptions } from "./options.ts";

/** descriptors kept free for the database, Kafka segments, images, and /healthz under a flood */
const reserve = 512;

export interface ListenerCaps {
  kafka: number;
  mqtt: number;
  http: number;
}

/**
 * The listeners' connection caps, lowered (with a warning) when together they would not leave
 * `reserve` descriptors under the process's limit: caps only help if they bite before the
 * limit does.
 */
export function listenerCaps(
  opts: ServeOptions,
  log: Logger,
  limit = openFilesLimit(),
): ListenerCaps {
  const wanted: ListenerCaps = {
    kafka: opts.kafkaMaxConnections,
    mqtt: opts.mqttMaxConnections,
    http: opts.httpMaxRequests,
  };
  const { caps, scaled } = fitToFdLimit(wanted, limit, reserve);
  if (scaled)
    log.warn("connection caps lowered to fit the open-file limit", { limit, reserve, ...caps });
  return caps;
}
