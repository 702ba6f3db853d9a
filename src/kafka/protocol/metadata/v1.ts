/**
 * Metadata Request (Version: 1) => [topics]   (NULLABLE: null = all topics, [] = none)
 * Metadata Response (Version: 1) => [brokers] controller_id [topics]
 *   brokers => node_id host port rack
 *     rack => NULLABLE_STRING
 *   controller_id => INT32
 *   topics => error_code name is_internal [partitions]
 *     is_internal => BOOLEAN
 */
import {
  array,
  boolean,
  int16,
  int32,
  nullableArray,
  nullableString,
  string,
  struct,
} from "../schema.ts";
import { brokerV0, partitionV0 } from "./v0.ts";

export const request = struct({ topics: nullableArray(string) });

export const brokersV1 = array(struct({ ...brokerV0, rack: nullableString }));
export const topicsV1 = array(
  struct({
    errorCode: int16,
    name: string,
    isInternal: boolean,
    partitions: array(struct(partitionV0)),
  }),
);

export const response = struct({ brokers: brokersV1, controllerId: int32, topics: topicsV1 });
