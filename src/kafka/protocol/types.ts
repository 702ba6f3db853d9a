export type { ProduceRequest, ProduceResponse } from "./produce/index.ts";
export type { FetchRequest, FetchResponse } from "./fetch/index.ts";
export type { ListOffsetsRequest, ListOffsetsResponse } from "./list-offsets/index.ts";
export type { MetadataRequest, MetadataResponse } from "./metadata/index.ts";
export type { OffsetCommitRequest, OffsetCommitResponse } from "./offset-commit/index.ts";
export type { OffsetFetchRequest, OffsetFetchResponse } from "./offset-fetch/index.ts";
export type { FindCoordinatorRequest, FindCoordinatorResponse } from "./find-coordinator/index.ts";
export type { JoinGroupRequest, JoinGroupResponse } from "./join-group/index.ts";
export type { HeartbeatRequest, HeartbeatResponse } from "./heartbeat/index.ts";
export type { LeaveGroupRequest, LeaveGroupResponse } from "./leave-group/index.ts";
export type { SyncGroupRequest, SyncGroupResponse } from "./sync-group/index.ts";
export type { DescribeGroupsRequest, DescribeGroupsResponse } from "./describe-groups/index.ts";
export type { ListGroupsRequest, ListGroupsResponse } from "./list-groups/index.ts";
export type { SaslHandshakeRequest, SaslHandshakeResponse } from "./sasl-handshake/index.ts";
export type { ApiVersionsRequest, ApiVersionsResponse } from "./api-versions/index.ts";
export type { CreateTopicsRequest, CreateTopicsResponse } from "./create-topics/index.ts";
export type { DeleteTopicsRequest, DeleteTopicsResponse } from "./delete-topics/index.ts";
export type { InitProducerIdRequest, InitProducerIdResponse } from "./init-producer-id/index.ts";
export type {
  SaslAuthenticateRequest,
  SaslAuthenticateResponse,
} from "./sasl-authenticate/index.ts";
