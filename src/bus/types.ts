/**
 * The narrow Kafka interface the pipeline uses (bridge, collector, sinks, notify, dead letters):
 * a producer whose `send` resolves only once the records are durable (acks=-1 and the broker's
 * fsync policy), and a group consumer that hands over one partition's batch at a time and
 * commits its offsets after the handler returned. Two implementations: kafkajs over TCP
 * (kafkajs/, any Kafka) and function calls into the embedded broker (in-process/).
 */

export interface BusRecord {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer>;
}

export interface TopicRecords {
  topic: string;
  records: readonly BusRecord[];
}

export interface SendOptions {
  /** how long the broker may take to acknowledge (kafkajs's request timeout) */
  timeoutMs?: number;
}

export interface RecordProducer {
  /** resolves once every record is durable; records of one key keep their order */
  send(topic: string, records: readonly BusRecord[], opts?: SendOptions): Promise<void>;
  /** records of several topics in one request */
  sendTopics(batches: readonly TopicRecords[], opts?: SendOptions): Promise<void>;
  /** the kafkajs producer needs a connection first; the in-process one is always connected */
  connect(): Promise<void>;
  close(): Promise<void>;
}

export interface ProducerOptions {
  /** how often a failed send is retried before it throws (kafkajs only) */
  retries?: number;
  /**
   * In-process only, with `--kafka-fsync always`: how long a send may wait for other sends to
   * share its partition's fdatasync (default: the broker's `--kafka-fsync-gather-ms`)
   */
  fsyncGatherMs?: number;
}

export interface ConsumedRecord {
  offset: number;
  /** the leader epoch of the record's batch (-1 when the batch has none) */
  epoch: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: number;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  /** the partition's log end when the batch was fetched */
  highWatermark: number;
  /** never empty */
  records: ConsumedRecord[];
}

export interface BatchContext {
  /** false once the consumer is stopping (or lost the partition in a rebalance) */
  isRunning(): boolean;
  /** keeps the membership alive during a long handler */
  heartbeat(): Promise<void>;
}

export interface GroupConsumerOptions {
  groupId: string;
  topics: string[];
  /** where a group without a committed offset starts: true = the log start, false = its end */
  fromBeginning: boolean;
  /** the consumer crashed: restarted (true) or gone for good (false) */
  onCrash?: (error: unknown, restart: boolean) => void;
  /** a fetch found nothing new: caught up */
  onIdle?: () => void;
  /** partitions were (re)assigned, before anything of the new generation is fetched */
  onAssign?: () => void;
  /** a larger record reaches the handler reduced (core/kafka/oversized.ts) */
  maxRecordBytes?: number;
}

export type EachBatch = (batch: ConsumedBatch, ctx: BatchContext) => Promise<void>;

/**
 * The batches of every partition that had new records, at once (a storing sink writes them in
 * one transaction); their offsets are committed after it returns, and a throw fetches them all
 * again. Only the in-process consumer reads this way; kafkajs hands over one batch at a time.
 */
export type EachRound = (batches: ConsumedBatch[], ctx: BatchContext) => Promise<void>;

export interface GroupConsumer {
  /**
   * Starts consuming in the background (joining the group does not hold the caller up): each
   * partition's batch goes to `eachBatch`, and its offsets are committed after it returns; when
   * it throws, the batch is fetched again from the last commit.
   */
  run(eachBatch: EachBatch, opts?: { eachRound?: EachRound }): Promise<void>;
  /** leaves the group after the batch in progress (its partitions go to the other members) */
  stop(): Promise<void>;
}

export interface KafkaBus {
  /** "kafkajs" (TCP to any Kafka) or "in-process" (function calls into the embedded broker) */
  readonly kind: "kafkajs" | "in-process";
  producer(opts?: ProducerOptions): RecordProducer;
  consumer(opts: GroupConsumerOptions): GroupConsumer;
}
