/** The fault scenarios, in the order `npm run chaos` runs them. */
import { deviceOffline } from "./device-offline.ts";
import { kafkaOutage } from "./kafka-outage.ts";
import { killServe } from "./kill-serve.ts";
import { slowClients } from "./slow-clients.ts";
import type { Scenario } from "./types.ts";

export const scenarios: Scenario[] = [
  killServe,
  kafkaOutage,
  deviceOffline,
  slowClients,
  // disk-full goes here: `diskFull` from bench/chaos/disk-full.ts (branch `diskfull`), i.e.
  // import { diskFull } from "./disk-full.ts"; — wired in when that branch is merged
];
