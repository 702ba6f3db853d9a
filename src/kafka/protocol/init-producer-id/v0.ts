/**
 * InitProducerId Request (Version: 0) => transactional_id transaction_timeout_ms
 *   transactional_id => NULLABLE_STRING
 *   transaction_timeout_ms => INT32
 *
 * InitProducerId Response (Version: 0) => throttle_time_ms error_code producer_id producer_epoch
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   producer_id => INT64
 *   producer_epoch => INT16
 */
import { int16, int32, int64, nullableString, struct } from "../schema.ts";

export const request = struct({ transactionalId: nullableString, transactionTimeoutMs: int32 });
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  producerId: int64,
  producerEpoch: int16,
});
