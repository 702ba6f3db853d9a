/** Fetch v6: same layout as v5 (KafkaStorageException error code). */
export { request, response } from "./v5.ts";
