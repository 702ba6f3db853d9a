/**
 * An in-process consumer group member: it joins, syncs, heartbeats, commits and leaves through
 * the embedded broker's group coordinator, and reads the partition logs directly — the same
 * calls the JoinGroup/SyncGroup/Heartbeat/Fetch/OffsetCommit handlers make for a kafkajs
 * member over TCP, so both kinds share one group, its partitions and its committed offsets.
 *
 * Reading waits on the broker's fetch waiters (woken by an append). A round hands each assigned
 * partition's new records to the handler, then commits the offsets of all of them at once (one
 * write of the offsets file, not fsynced: see `commit`); the next round starts no sooner than `lingerMs` after
 * this one began, so a steady stream is handled in tens of rounds a second, each a batch,
 * rather than in one round per record — while a record arriving after a quiet spell is handled
 * at once. Idle, a member only wakes to heartbeat (every `maxWaitMs`).
 */
import { isDiskError } from "../../core/disk/errors.ts";
import type { BrokerContext } from "../../kafka/broker/context.ts";
import { ErrorCode } from "../../kafka/protocol/errors.ts";
import { busError } from "../errors.ts";
import type {
  BatchContext,
  ConsumedBatch,
  EachBatch,
  EachRound,
  GroupConsumer,
  GroupConsumerOptions,
} from "../types.ts";
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
  /** the least time between the starts of two rounds: more records gather meanwhile */
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
  /** the log end the last fetch saw (an append after it must not be waited for) */
  seenEnd: number;
}

/** the generation changed under us: rejoin (what the batch did is fetched again) */
class Rejoin extends Error {}

export function inProcessConsumer(
  broker: BrokerContext,
  opts: GroupConsumerOptions,
  tuning: InProcessConsumerTuning = {},
): GroupConsumer {
  // a kafkajs member's heartbeat interval: a rebalance is noticed within it
  const maxWaitMs = tuning.maxWaitMs ?? 3000;
  const lingerMs = tuning.lingerMs ?? 10;
  const bytesOut = broker.metrics.counter("iot_kafka_bytes_out_total", "record bytes fetched");
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
      seenEnd: -1,
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

  /** one partition's next batch, or undefined when there is nothing new */
  function fetch(pos: Position): ConsumedBatch | undefined {
    const l = logs.partition(pos.topic, pos.partition);
    if (!l) return undefined; // deleted: the coordinator rebalances the group
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
    pos.seenEnd = highWatermark;
    if (pos.offset >= highWatermark) return undefined;
    const read = l.read(pos.offset, maxBytes);
    bytesOut.inc(undefined, read.length); // as the Fetch handler counts what it returns
    const { records, next } = decodeBatches(read, pos.offset, limits);
    if (records.length === 0) {
      pos.offset = Math.max(pos.offset, next); // control batches only
      return undefined;
    }
    return { topic: pos.topic, partition: pos.partition, highWatermark, records };
  }

  const ctx: BatchContext = { isRunning: () => running, heartbeat: async () => heartbeat() };
  const nextOffset = (b: ConsumedBatch) => b.records[b.records.length - 1]!.offset + 1;

  /** the offsets of the partitions a round handled, in one request (one write) */
  async function commit(handled: Array<{ pos: Position; offset: number }>): Promise<void> {
    let code: number;
    try {
      code = await groups.commitOffsets(
        {
          groupId: opts.groupId,
          generationId,
          memberId,
          offsets: handled.map(({ pos, offset }) => ({
            topic: pos.topic,
            partition: pos.partition,
            offset,
            metadata: null,
          })),
        },
        // written, not fsynced (a sync per round cost more than the round's inserts): only a
        // power cut can take the last commits back, and then their records are handled again,
        // as after any crash between handling and committing — the sinks store each once
        // (source keys), and their own SQLite commits are not fsynced either
        { sync: false },
      );
    } catch (e) {
      if (!isDiskError(e)) throw e;
      broker.disk.refused("kafka-offsets", e);
      throw busError(ErrorCode.KAFKA_STORAGE_ERROR, "committing offsets", e);
    }
    check(code, "commit");
    broker.disk.accepted("kafka-offsets");
    for (const { pos, offset } of handled) pos.offset = offset;
  }

  /**
   * Each partition's new records to the handler — one batch at a time, or all at once to
   * `eachRound` — then their offsets committed together (also those handled before another
   * partition's batch threw); true when anything was handled.
   */
  async function round(eachBatch: EachBatch, eachRound?: EachRound): Promise<boolean> {
    const handled: Array<{ pos: Position; offset: number }> = [];
    let failure: { error: unknown } | undefined;
    try {
      if (eachRound) {
        const fetched: Array<{ pos: Position; batch: ConsumedBatch }> = [];
        for (const pos of positions) {
          const batch = fetch(pos);
          if (batch) fetched.push({ pos, batch });
        }
        if (fetched.length > 0 && running) {
          await eachRound(
            fetched.map((f) => f.batch),
            ctx,
          );
          for (const { pos, batch } of fetched) handled.push({ pos, offset: nextOffset(batch) });
        }
      } else {
        for (const pos of positions) {
          if (!running) break;
          const batch = fetch(pos);
          if (!batch) continue;
          await eachBatch(batch, ctx);
          handled.push({ pos, offset: nextOffset(batch) });
        }
      }
    } catch (error) {
      failure = { error };
    }
    try {
      if (handled.length) await commit(handled);
    } catch (e) {
      if (!failure) throw e; // else the handler's error is the one to tell
    }
    if (failure) throw failure.error;
    return handled.length > 0;
  }

  async function consumeUntilRebalance(eachBatch: EachBatch, eachRound?: EachRound): Promise<void> {
    let failures = 0;
    while (running) {
      heartbeat();
      const began = Date.now();
      let handled = false;
      try {
        handled = await round(eachBatch, eachRound);
        failures = 0;
      } catch (e) {
        if (e instanceof Rejoin || !running) throw e;
        // the batch is fetched again from the last commit, after a pause growing to 5 s
        log.debug("in-process batch failed; fetching it again", { group: opts.groupId, err: e });
        await pause(Math.min(5000, 100 * 2 ** failures++));
        continue;
      }
      if (handled) {
        // more records gather meanwhile: the next round takes them as one batch
        const wait = began + lingerMs - Date.now();
        if (wait > 0) await pause(wait);
        continue;
      }
      // records appended while the round awaited (a producer ran meanwhile) woke nobody yet:
      // look again rather than wait for the next append
      if (
        positions.some(
          (p) => (logs.partition(p.topic, p.partition)?.highWatermark ?? -1) > p.seenEnd,
        )
      )
        continue;
      opts.onIdle?.();
      const parts = positions.map((p): [string, number] => [p.topic, p.partition]);
      await broker.fetchWaiters.wait(parts, maxWaitMs, stopping.signal);
    }
  }

  /**
   * Waits `ms`, or less when stopping. Pauses come one at a time (one loop), ~100 a second at a
   * steady load: one abort listener ends whichever is in progress, rather than one added and
   * removed per pause (~7 of a pause's ~30 µs measured).
   */
  let endPause: (() => void) | null = null;
  stopping.signal.addEventListener("abort", () => endPause?.(), { once: true });
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve();
      const done = () => {
        clearTimeout(t);
        endPause = null;
        resolve();
      };
      const t = setTimeout(done, ms);
      endPause = done;
    });

  async function member(eachBatch: EachBatch, eachRound?: EachRound): Promise<void> {
    let crashes = 0;
    while (running) {
      try {
        // created as a kafkajs consumer's metadata request would, off the caller's start-up
        for (const topic of opts.topics) ensureTopic(broker, topic);
        joining = true;
        await join().finally(() => (joining = false));
        await consumeUntilRebalance(eachBatch, eachRound);
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
    async run(eachBatch, runOpts) {
      running = true;
      loop = member(eachBatch, runOpts?.eachRound);
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
