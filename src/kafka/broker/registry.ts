/**
 * The handlers this broker serves, each with its version range; ApiVersions is computed from
 * the same table, so what is advertised is exactly what is implemented.
 */
import { ApiKey } from "../protocol/index.ts";
import type { Handler } from "./context.ts";
import { apiVersionsHandler, type ApiRange } from "./handlers/api-versions.ts";
import { createTopicsHandler } from "./handlers/create-topics.ts";
import { deleteTopicsHandler } from "./handlers/delete-topics.ts";
import { describeGroupsHandler } from "./handlers/describe-groups.ts";
import { fetchHandler } from "./handlers/fetch.ts";
import { findCoordinatorHandler } from "./handlers/find-coordinator.ts";
import { heartbeatHandler } from "./handlers/heartbeat.ts";
import { initProducerIdHandler } from "./handlers/init-producer-id.ts";
import { joinGroupHandler } from "./handlers/join-group.ts";
import { leaveGroupHandler } from "./handlers/leave-group.ts";
import { listGroupsHandler } from "./handlers/list-groups.ts";
import { listOffsetsHandler } from "./handlers/list-offsets.ts";
import { metadataHandler } from "./handlers/metadata.ts";
import { offsetCommitHandler } from "./handlers/offset-commit.ts";
import { offsetFetchHandler } from "./handlers/offset-fetch.ts";
import { produceHandler } from "./handlers/produce.ts";
import { saslAuthenticateHandler, saslHandshakeHandler } from "./handlers/sasl.ts";
import { syncGroupHandler } from "./handlers/sync-group.ts";

export interface Registered {
  handler: Handler;
  minVersion: number;
  maxVersion: number;
}

export function buildRegistry(): Map<number, Registered> {
  const registry = new Map<number, Registered>();
  const register = (h: Handler) => {
    const minVersion = h.minVersion ?? h.api.minVersion;
    const maxVersion = h.maxVersion ?? h.api.maxVersion;
    if (minVersion < h.api.minVersion || maxVersion > h.api.maxVersion) {
      throw new Error(`${h.api.name}: handler range outside its codecs`);
    }
    registry.set(h.api.key, { handler: h, minVersion, maxVersion });
  };
  const ranges = (): ApiRange[] =>
    [...registry.entries()]
      .sort(([a], [b]) => a - b)
      .map(([apiKey, r]) => ({ apiKey, minVersion: r.minVersion, maxVersion: r.maxVersion }));
  [
    produceHandler,
    fetchHandler,
    listOffsetsHandler,
    metadataHandler,
    offsetCommitHandler,
    offsetFetchHandler,
    findCoordinatorHandler,
    joinGroupHandler,
    heartbeatHandler,
    leaveGroupHandler,
    syncGroupHandler,
    describeGroupsHandler,
    listGroupsHandler,
    saslHandshakeHandler,
    apiVersionsHandler(ranges),
    createTopicsHandler,
    deleteTopicsHandler,
    initProducerIdHandler,
    saslAuthenticateHandler,
  ].forEach(register);
  // Metadata capped at 4: kafkajs picks min(6, max) and librdkafka asks 0–4, and v5+ adds
  // offline replicas and v9+ tagged fields that none of our clients need.
  registry.get(ApiKey.Metadata)!.maxVersion = 4;
  // LeaveGroup: librdkafka's max is 1; kafkajs would use the v3 batch form if offered.
  registry.get(ApiKey.LeaveGroup)!.maxVersion = 1;
  return registry;
}
