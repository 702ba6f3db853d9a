/** The fault scenarios, in the order `npm run chaos` runs them. */
import { deviceOffline } from "./device-offline.ts";
import { diskFull } from "./disk-full.ts";
import { fuzz } from "./fuzz/index.ts";
import { kafkaOutage } from "./kafka-outage.ts";
import { killServe } from "./kill-serve.ts";
import { slowClients } from "./slow-clients.ts";
import type { Scenario } from "./types.ts";

export const scenarios: Scenario[] = [
  killServe,
  kafkaOutage,
  deviceOffline,
  slowClients,
  diskFull, // bench/chaos/disk-full.ts, from branch `diskfull`
  fuzz, // bench/chaos/fuzz/, from branch `h-fuzz`
];
