/**
 * FindCoordinator Request (Version: 0) => key
 *   key => STRING   (the group id)
 *
 * FindCoordinator Response (Version: 0) => error_code node_id host port
 *   error_code => INT16
 *   node_id => INT32
 *   host => STRING
 *   port => INT32
 */
import { int16, int32, string, struct } from "../schema.ts";

export const request = struct({ key: string });
export const coordinator = { nodeId: int32, host: string, port: int32 };
export const response = struct({ errorCode: int16, ...coordinator });
