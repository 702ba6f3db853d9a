/** The fault scenarios, in the order `npm run chaos` runs them. */
import { compressedRecord } from "./compressed-record.ts";
import { dataDir } from "./data-dir.ts";
import { deviceOffline } from "./device-offline.ts";
import { diskFull } from "./disk-full.ts";
import { fuzz } from "./fuzz/index.ts";
import { kafkaOutage } from "./kafka-outage.ts";
import { killServe } from "./kill-serve.ts";
import { restartWithCommands } from "./restart-with-commands.ts";
import { slowClients } from "./slow-clients.ts";
import { topicRecreation } from "./topic-recreation.ts";
import type { Scenario } from "./types.ts";

export const scenarios: Scenario[] = [
  killServe,
  kafkaOutage,
  deviceOffline,
  slowClients,
  diskFull, // bench/chaos/disk-full.ts, from branch `diskfull`
  compressedRecord, // bench/chaos/compressed-record.ts, from branch `h-poison`
  dataDir, // bench/chaos/data-dir.ts, from branch `h-datadir`
  topicRecreation, // bench/chaos/topic-recreation.ts, from branch `h-offsets`
  restartWithCommands, // bench/chaos/restart-with-commands.ts, from branch `h-mqttstate`
  fuzz, // bench/chaos/fuzz/, from branch `h-fuzz`
];
