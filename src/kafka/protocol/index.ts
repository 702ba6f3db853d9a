/**
 * The Kafka protocol subset the embedded broker speaks: one codec per API version, all
 * non-flexible except ApiVersions v3. Each API's range is the overlap of what kafkajs 2.2.4,
 * librdkafka 2.x (kcat) and kafka-python 2.0 send, per the Kafka protocol guide's message specs.
 */
import type { ApiDef } from "./api.ts";
import { apiVersions } from "./api-versions/index.ts";
import { createTopics } from "./create-topics/index.ts";
import { deleteTopics } from "./delete-topics/index.ts";
import { describeGroups } from "./describe-groups/index.ts";
import { fetchApi } from "./fetch/index.ts";
import { findCoordinator } from "./find-coordinator/index.ts";
import { heartbeat } from "./heartbeat/index.ts";
import { initProducerId } from "./init-producer-id/index.ts";
import { joinGroup } from "./join-group/index.ts";
import { leaveGroup } from "./leave-group/index.ts";
import { listGroups } from "./list-groups/index.ts";
import { listOffsets } from "./list-offsets/index.ts";
import { metadata } from "./metadata/index.ts";
import { offsetCommit } from "./offset-commit/index.ts";
import { offsetFetch } from "./offset-fetch/index.ts";
import { produce } from "./produce/index.ts";
import { saslAuthenticate } from "./sasl-authenticate/index.ts";
import { saslHandshake } from "./sasl-handshake/index.ts";
import { syncGroup } from "./sync-group/index.ts";

export const apis: ReadonlyMap<number, ApiDef> = new Map(
  [
    produce,
    fetchApi,
    listOffsets,
    metadata,
    offsetCommit,
    offsetFetch,
    findCoordinator,
    joinGroup,
    heartbeat,
    leaveGroup,
    syncGroup,
    describeGroups,
    listGroups,
    saslHandshake,
    apiVersions,
    createTopics,
    deleteTopics,
    initProducerId,
    saslAuthenticate,
  ].map((api) => [api.key, api]),
);

export type { ApiDef, VersionCodec } from "./api.ts";
export { ApiKey } from "./api-keys.ts";
export { ErrorCode, ProtocolError } from "./errors.ts";
export { Reader } from "./reader.ts";
export { Writer } from "./writer.ts";
export {
  decodeRequestHeader,
  encodeResponseHeader,
  peekHeader,
  type RequestHeader,
} from "./header.ts";
export * from "./types.ts";
