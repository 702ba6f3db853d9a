/**
 * The broker's authorization hook: after SASL, each request asks whether the connection's
 * principal (whatever `authenticate` returned) may do this. Unset, or an open broker: anything.
 * The answer is null (allowed) or the reason it is not, which the broker logs; the client gets
 * the Kafka error code for the resource: TOPIC_ / GROUP_ / CLUSTER_AUTHORIZATION_FAILED.
 */
export type KafkaAction =
  /** Produce: `records` is the partition's record set, `batches` where each batch lies in it */
  | {
      op: "write";
      topic: string;
      records: Uint8Array;
      batches: Array<{ start: number; end: number }>;
    }
  /** Fetch, ListOffsets, the topics of OffsetCommit/OffsetFetch */
  | { op: "read"; topic: string }
  /** CreateTopics, and Metadata's auto-creation */
  | { op: "create"; topic: string }
  | { op: "delete"; topic: string }
  /** Join/Sync/Heartbeat/Leave, OffsetCommit/OffsetFetch, DescribeGroups */
  | { op: "group"; group: string }
  /** InitProducerId without a transactional id (an idempotent producer) */
  | { op: "idempotent-write" };

export type KafkaAuthorizer = (principal: unknown, action: KafkaAction) => string | null;
