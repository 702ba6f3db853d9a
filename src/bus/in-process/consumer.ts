/**
 * An in-process consumer group member: it joins, syncs, heartbeats, commits and leaves through
 * the embedded broker's group coordinator, and reads the partition logs directly — the same
 * calls the JoinGroup/SyncGroup/Heartbeat/Fetch/OffsetCommit handlers make for a kafkajs
 * member over TCP, so both kinds share one group, its partitions and its committed offsets.
 *
 * Reading waits on the broker's fetch waiters (woken by an append) and then lingers a few
 * milliseconds, so a steady trickle of records is handled, committed and fsynced in batches.
 */
import { isDiskError } from "../../core/disk/errors.ts";
import type { BrokerContext } from "../../kafka/broker/context.ts";
import { ErrorCode } from "../../kafka/protocol/errors.ts";
import { busError } from "../errors.ts";
import type { BatchContext, EachBatch, GroupConsumer, GroupConsumerOptions } from "../types.ts";
import {
  ASSIGNER,
  assignRoundRobin,
  decodeAssignment,
  encodeMemberMetadata,
} from "./assignment.ts";
import { decodeBatches } from "./batch-codec.ts";
import { ensureTopic } from "./topics.ts";

export interface InProcessConsumerTuning {
  /** how long an idle member waits for an append before it heartbeats and looks again */
  maxWaitMs?: number;
  /** after an append woke it, how long it lets more records gather (batched fetch and commit) */
  lingerMs?: number;
  /** bytes read from one partition per batch */
  maxBytesPerPartition?: number;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
}

const REJOIN: ReadonlySet<number> = new Set([
  ErrorCode.REBALANCE_IN_PROGRESS,
  ErrorCode.ILLEGAL_GENERATION,
  ErrorCode.UNKNOWN_MEMBER_ID,
]);

interface Position {
  topic: string;
  partition: number;
  offset: number;
}

/** the generation changed under us: rejoin (what the batch did is fetched again) */
class Rejoin extends Error {}

export function inProcessConsumer(
  broker: BrokerContext,
  opts: GroupConsumerOptions,
  tuning: InProcessConsumerTuning = {},
): GroupConsumer {
  const maxWaitMs = tuning.maxWaitMs ?? 500;
  const lingerMs = tuning.lingerMs ?? 5;
  const maxBytes = tuning.maxBytesPerPartition ?? 1 << 20;
  const { groups, logs, log } = broker;
  const limits = {
    maxUncompressedBytes: broker.maxUncompressedBytes,
    maxRecordBytes: opts.maxRecordBytes ?? 8 << 20,
  };
  let running = false;
  let memberId = "";
  let generationId = -1;
  let positions: Position[] = [];
  /** a join or sync is parked in the coordinator (a stop must leave to wake it) */
  let joining = false;
  const stopping = new AbortController();
  let loop: Promise<void> = Promise.resolve();

  const check = (code: number, what: string) => {
    if (code === ErrorCode.NONE) return;
    if (code === ErrorCode.UNKNOWN_MEMBER_ID) memberId = "";
    if (REJOIN.has(code)) throw new Rejoin(what);
    throw busError(code, `${opts.groupId}: ${what} failed (${code})`);
  };

  async function join(): Promise<void> {
    const joined = await groups.join({
      groupId: opts.groupId,
      memberId,
      groupInstanceId: null,
      clientId: "iot-in-process",
      clientHost: "/in-process",
      sessionTimeoutMs: tuning.sessionTimeoutMs ?? 30_000,
      rebalanceTimeoutMs: tuning.rebalanceTimeoutMs ?? 60_000,
      protocolType: "consumer",
      protocols: [{ name: ASSIGNER, metadata: encodeMemberMetadata(opts.topics) }],
      requireKnownMemberId: false,
      initialDelayMs: 0,
    });
    check(joined.errorCode, "join");
    memberId = joined.memberId;
    generationId = joined.generationId;
    const assignments =
      joined.leader === memberId
        ? assignRoundRobin(joined.members, (topic) =>
            logs.hasTopic(topic) ? ensureTopic(broker, topic) : 0,
          )
        : [];
    const synced = await groups.sync({
      groupId: opts.groupId,
      generationId,
      memberId,
      assignments,
    });
    check(synced.errorCode, "sync");
    positions = decodeAssignment(synced.assignment).map(({ topic, partition }) => ({
      topic,
      partition,
      offset: committedOrReset(topic, partition),
    }));
    opts.onAssign?.();
  }

  /** the group's committed offset, else the reset policy's end of the log */
  function committedOrReset(topic: string, partition: number): number {
    const committed = groups.fetchOffset(opts.groupId, topic, partition)?.offset;
    return committed !== undefined && committed >= 0 ? committed : reset(topic, partition);
  }

  function reset(topic: string, partition: number): number {
    const l = logs.partition(topic, partition);
    if (!l) return 0;
    return opts.fromBeginning ? l.logStartOffset : l.highWatermark;
  }

  const heartbeat = () =>
    check(
      groups.heartbeat({ groupId: opts.groupId, generationId, memberId }).errorCode,
      "heartbeat",
    );

  /** one partition's next batch: handled, then committed; false when there was nothing */
  async function consume(pos: Position, eachBatch: EachBatch): Promise<boolean> {
    const l = logs.partition(pos.topic, pos.partition);
    if (!l) return false; // deleted: the coordinator rebalances the group
    if (pos.offset < l.logStartOffset || pos.offset > l.highWatermark) {
      const to = reset(pos.topic, pos.partition);
      log.warn("consumer group offset reset: was out of range", {
        group: opts.groupId,
        topic: pos.topic,
        partition: pos.partition,
        from: pos.offset,
        to,
      });
      pos.offset = to;
    }
    const highWatermark = l.highWatermark;
    if (pos.offset >= highWatermark) return false;
    const { records, next } = decodeBatches(l.read(pos.offset, maxBytes), pos.offset, limits);
    if (records.length === 0) {
      pos.offset = Math.max(pos.offset, next); // control batches only
      return false;
    }
    const ctx: BatchContext = { isRunning: () => running, heartbeat: async () => heartbeat() };
    await eachBatch({ topic: pos.topic, partition: pos.partition, highWatermark, records }, ctx);
    const offset = records[records.length - 1]!.offset + 1;
    let code: number;
    try {
      code = await groups.commitOffsets({
        groupId: opts.groupId,
        generationId,
        memberId,
        offsets: [{ topic: pos.topic, partition: pos.partition, offset, metadata: null }],
      });
    } catch (e) {
      if (!isDiskError(e)) throw e;
      broker.disk.refused("kafka-offsets", e);
      throw busError(ErrorCode.KAFKA_STORAGE_ERROR, "committing offsets", e);
    }
    check(code, "commit");
    broker.disk.accepted("kafka-offsets");
    pos.offset = offset;
    return true;
  }

  async function consumeUntilRebalance(eachBatch: EachBatch): Promise<void> {
    let failures = 0;
    while (running) {
      heartbeat();
      let handled = false;
      try {
        for (const pos of positions) {
          if (!running) return;
          if (await consume(pos, eachBatch)) handled = true;
        }
        failures = 0;
      } catch (e) {
        if (e instanceof Rejoin || !running) throw e;
        // the batch is fetched again from the last commit, after a pause growing to 5 s
        log.debug("in-process batch failed; fetching it again", { group: opts.groupId, err: e });
        await pause(Math.min(5000, 100 * 2 ** failures++));
        continue;
      }
      if (handled) continue;
      opts.onIdle?.();
      const parts = positions.map((p): [string, number] => [p.topic, p.partition]);
      const woke = Date.now();
      await broker.fetchWaiters.wait(parts, maxWaitMs, stopping.signal);
      if (lingerMs > 0 && Date.now() - woke < maxWaitMs) await pause(lingerMs);
    }
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      stopping.signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
    });

  async function member(eachBatch: EachBatch): Promise<void> {
    let crashes = 0;
    while (running) {
      try {
        // created as a kafkajs consumer's metadata request would, off the caller's start-up
        for (const topic of opts.topics) ensureTopic(broker, topic);
        joining = true;
        await join().finally(() => (joining = false));
        await consumeUntilRebalance(eachBatch);
      } catch (e) {
        if (!running) return;
        if (e instanceof Rejoin) continue;
        opts.onCrash?.(e, true);
        log.warn("in-process consumer restarts", { group: opts.groupId, err: e });
        await pause(Math.min(5000, 300 * 2 ** crashes++));
      }
    }
  }

  return {
    async run(eachBatch) {
      running = true;
      loop = member(eachBatch);
    },
    async stop() {
      if (!running) return;
      running = false;
      stopping.abort();
      if (joining && memberId) groups.leave(opts.groupId, [{ memberId }]); // wakes the join
      await loop; // the batch in progress is handled and committed first
      if (memberId) groups.leave(opts.groupId, [{ memberId }]);
      memberId = "";
    },
  };
}
