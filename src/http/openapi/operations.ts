/**
 * Every documented operation, in the order /docs shows them. A route module declares its own
 * `Operation[]` next to its handlers and is added here once.
 */
import { apiOperations } from "../routes/api.openapi.ts";
import { alertTriageOperations } from "../routes/alerts-triage.openapi.ts";
import { collectorOperations } from "../routes/collector.openapi.ts";
import { deviceOperations } from "../routes/devices.openapi.ts";
import { historyOperations } from "../routes/history.openapi.ts";
import { seriesOperations } from "../routes/series.openapi.ts";
import type { Operation } from "./operation.ts";
import { serverOperations } from "./server.openapi.ts";

export const operations: Operation[] = [
  ...collectorOperations,
  ...apiOperations,
  ...alertTriageOperations,
  ...historyOperations,
  ...seriesOperations,
  ...deviceOperations,
  ...serverOperations,
];
