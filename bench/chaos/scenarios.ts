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
  // disk-full (bench/chaos/disk-full.ts, branch `diskfull`) goes here
];
