import { defineApi } from "../api.ts";
import type { Infer } from "../schema.ts";
import * as v0 from "./v0.ts";
import * as v1 from "./v1.ts";
import * as v2 from "./v2.ts";

/** librdkafka disables consumer groups unless the range starts at 0 (found on the wire with kcat: it
 * checks FindCoordinator's advertised minimum before it will join a group). */
export const findCoordinator = defineApi(10, "FindCoordinator", 3, { 0: v0, 1: v1, 2: v2 });
export type FindCoordinatorRequest = Infer<typeof v2.request>;
export type FindCoordinatorResponse = Infer<typeof v2.response>;
