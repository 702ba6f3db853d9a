/**
 * Gathers concurrent sends into one, with no timer: when nothing is in flight, what arrived in
 * the same turn of the event loop leaves at the end of that turn; while a combined send waits
 * for its fsync, the next batch gathers and leaves the moment it returns. The fsync is the
 * linger: one fdatasync covers as many requests as came meanwhile (a timer that ran while the
 * disk was idle only added latency; overlapping sends only added syncs). A batch holds at most
 * `maxBatch` records / `maxBatchBytes`. Each caller is answered only when its own records are
 * durable — the combined send resolved. Should Kafka refuse the combined batch for good (a
 * record too large), each caller's records are sent again alone, so only the bad one fails.
 */
import { isRejection } from "./errors.ts";
import type { BusRecord, RecordProducer, TopicRecords } from "./types.ts";

export interface BatchingOptions {
  maxBatch?: number;
  maxBatchBytes?: number;
  /** combined sends in flight at once (default 1: the next batch gathers meanwhile) */
  maxInFlight?: number;
}

interface Waiting {
  batches: readonly TopicRecords[];
  count: number;
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export function batchingProducer(
  inner: RecordProducer,
  opts: BatchingOptions = {},
): RecordProducer & {
  /** combined sends made so far (for tests and metrics) */
  readonly sends: number;
} {
  const maxBatch = opts.maxBatch ?? 500;
  const maxBatchBytes = opts.maxBatchBytes ?? 1 << 20;
  const maxInFlight = opts.maxInFlight ?? 1;
  let queue: Waiting[] = [];
  let queuedRecords = 0;
  let queuedBytes = 0;
  let inflight = 0;
  let immediate = false;
  let sends = 0;

  const flush = () => {
    while (queue.length > 0 && inflight < maxInFlight) {
      let n = 0;
      let records = 0;
      let bytes = 0;
      while (n < queue.length) {
        const w = queue[n]!;
        if (n > 0 && (records + w.count > maxBatch || bytes + w.bytes > maxBatchBytes)) break;
        records += w.count;
        bytes += w.bytes;
        n++;
      }
      const taken = queue.splice(0, n);
      queuedRecords -= records;
      queuedBytes -= bytes;
      inflight++;
      sends++;
      sendTogether(taken).finally(() => {
        inflight--;
        flush(); // what gathered meanwhile has waited long enough
      });
    }
  };

  const schedule = () => {
    if (inflight >= maxInFlight) return; // it leaves when the send in flight returns
    if (queuedRecords >= maxBatch || queuedBytes >= maxBatchBytes) return flush();
    // the end of this turn: its other requests join, and nobody waits for a timer
    if (!immediate) {
      immediate = true;
      setImmediate(() => {
        immediate = false;
        flush();
      });
    }
  };

  const sendTogether = async (taken: Waiting[]): Promise<void> => {
    try {
      await inner.sendTopics(merge(taken));
      for (const w of taken) w.resolve();
    } catch (e) {
      if (taken.length === 1 || !isRejection(e)) {
        for (const w of taken) w.reject(e);
        return;
      }
      // one bad record must not fail the others: each caller alone, in order
      for (const w of taken) await inner.sendTopics(w.batches).then(w.resolve, w.reject);
    }
  };

  const sendTopics = (batches: readonly TopicRecords[]) =>
    new Promise<void>((resolve, reject) => {
      let count = 0;
      let bytes = 0;
      for (const b of batches) {
        count += b.records.length;
        for (const r of b.records) bytes += recordBytes(r);
      }
      queue.push({ batches, count, bytes, resolve, reject });
      queuedRecords += count;
      queuedBytes += bytes;
      schedule();
    });

  return {
    send: (topic, records) => sendTopics([{ topic, records }]),
    sendTopics: (batches) => sendTopics(batches),
    connect: () => inner.connect(),
    async close() {
      // what was accepted goes out first; a Kafka that does not answer is not waited for long
      const deadline = Date.now() + 5000;
      while ((queue.length > 0 || inflight > 0) && Date.now() < deadline) {
        flush();
        await Bun.sleep(1);
      }
      await inner.close();
    },
    get sends() {
      return sends;
    },
  };
}

/** one request's topics merged in arrival order: a topic's records keep the callers' order */
function merge(taken: Waiting[]): TopicRecords[] {
  const byTopic = new Map<string, BusRecord[]>();
  for (const w of taken)
    for (const { topic, records } of w.batches) {
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(...records);
    }
  return [...byTopic].map(([topic, records]) => ({ topic, records }));
}

const size = (v: string | Buffer | null | undefined) =>
  v == null ? 0 : typeof v === "string" ? Buffer.byteLength(v) : v.length;

function recordBytes(r: BusRecord): number {
  let n = size(r.key) + size(r.value) + 70;
  for (const k in r.headers) n += k.length + size(r.headers[k]) + 4;
  return n;
}
