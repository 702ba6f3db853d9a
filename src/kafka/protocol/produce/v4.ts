/** Produce v4: same layout as v3 (adds the KafkaStorageException error code). */
export { request, response } from "./v3.ts";
