/**
 * What a principal may do on the embedded Kafka broker (protected mode).
 *
 * - device: produce records about itself only — on the device topics (`iot.telemetry`,
 *   `iot.image`, `iot.video`, `iot.status`) with key = its id; on the seeds' `temp_test` and
 *   `imgtest` with no key or its id and `m_id` = its id; on `rtsp-stream` with no key or its id.
 *   Read `iot.command` (how `iot device --kafka` gets its commands) in its own groups
 *   (`iot-device-<id>-…`). Nothing else: not `iot.command`'s writes, not the dead letters, no
 *   topic deletion, no commits for other groups.
 * - reader: read every topic, in any group outside iot's own (`iot-…`); write nothing.
 * - admin and iot's own clients: everything.
 */
import type { KafkaAction } from "../kafka/broker/authorize.ts";
import { topics } from "../core/kafka/topics.ts";
import { decodeRecords } from "../kafka/protocol/record-batch.ts";
import { isAdmin, type Principal } from "./roles.ts";
import { RESERVED_PREFIX } from "./subjects.ts";

/** records whose key must be the device's id */
const keyedByDevice = new Set<string>([
  topics.telemetry,
  topics.image,
  topics.video,
  topics.status,
]);
/** the seeds' JSON records naming the device in `m_id` (the key is optional) */
const namedByMId = new Set<string>([topics.tempTest, topics.imgTest]);
/** raw frames that name no device (the key is optional) */
const unnamed = new Set<string>([topics.rtspStream]);
const deviceReads = new Set<string>([topics.deviceCommand]);

/** a gzip batch may not inflate past this while being checked */
const maxInflatedBytes = 64 << 20;

export function kafkaAllowed(p: Principal, action: KafkaAction): string | null {
  if (isAdmin(p)) return null;
  const who = `${p.role} '${p.subject}'`;
  switch (action.op) {
    case "read":
      if (p.role === "reader" || deviceReads.has(action.topic)) return null;
      return `${who} may not read ${action.topic}`;
    case "group":
      return groupAllowed(p, action.group) ? null : `${who} may not use group ${action.group}`;
    case "write":
      if (p.role !== "device") return `${who} may not write`;
      return deviceWrite(p, action.topic, action.records, action.batches);
    case "create":
      // the topics it may use exist on a fresh server after its first request
      if (p.role === "device" && (writable(action.topic) || deviceReads.has(action.topic)))
        return null;
      return `${who} may not create topic ${action.topic}`;
    case "delete":
      return `${who} may not delete topic ${action.topic}`;
    case "idempotent-write":
      return p.role === "device" ? null : `${who} may not write`;
  }
}

const writable = (topic: string) =>
  keyedByDevice.has(topic) || namedByMId.has(topic) || unnamed.has(topic);

/** iot's own groups are `iot-…`; a device's own `iot-device-<id>-…` among them are its. */
function groupAllowed(p: Principal, group: string): boolean {
  const own = `${RESERVED_PREFIX}device-${p.subject}`;
  return !group.startsWith(RESERVED_PREFIX) || group === own || group.startsWith(`${own}-`);
}

function deviceWrite(
  p: Principal,
  topic: string,
  records: Uint8Array,
  batches: Array<{ start: number; end: number }>,
): string | null {
  if (!writable(topic)) return `device '${p.subject}' may not write to ${topic}`;
  for (const b of batches) {
    let decoded;
    try {
      decoded = decodeRecords(records.subarray(b.start, b.end), maxInflatedBytes);
    } catch (e) {
      return `cannot check the records of device '${p.subject}' (${(e as Error).message}): send them uncompressed or gzip`;
    }
    for (const r of decoded) {
      const key = r.key === null ? null : Buffer.from(r.key).toString("utf8");
      if (keyedByDevice.has(topic)) {
        if (key !== p.subject) return `device '${p.subject}' wrote key '${key}' to ${topic}`;
        continue;
      }
      if (key !== null && key !== p.subject)
        return `device '${p.subject}' wrote key '${key}' to ${topic}`;
      if (namedByMId.has(topic)) {
        const mId = seedMId(r.value);
        if (mId !== undefined && mId !== p.subject)
          return `device '${p.subject}' wrote m_id '${mId}' to ${topic}`;
      }
    }
  }
  return null;
}

/**
 * The device a seed record names, as the sinks read it (`String(m_id)`, "unknown" when a JSON
 * object has none); undefined when the value is no JSON object (the sink dead-letters it).
 */
function seedMId(value: Uint8Array | null): string | undefined {
  if (value === null) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(Buffer.from(value).toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof o !== "object" || o === null || Array.isArray(o)) return undefined;
  const mId = (o as Record<string, unknown>).m_id;
  return mId === undefined || mId === null ? "unknown" : String(mId);
}
