import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { topics } from "../core/kafka/topics.ts";
import type { EventBus } from "../events/index.ts";
import type { StoreEngine, StoreOps } from "../store/engine/index.ts";
import { BadRecord, deviceKey } from "./parse/errors.ts";
import { DeviceClocks } from "./parse/device-time.ts";
import { capturedAt, msgIdHeaderOf } from "./parse/identity.ts";
import { checkJpeg, parseImgTest } from "./parse/jpeg.ts";
import { partition, sourceOf, type EngineSink, type SinkRecord } from "./run-sink.ts";

const safe = (s: string) => s.replace(/[^a-zA-Z0-9._-]/g, "_");

interface Image {
  deviceId: string;
  ts: number;
  jpeg: Buffer;
  msgId: string | null;
}

/**
 * Camera snapshots: raw JPEG from devices (`iot.image`, time from the `captured_at` header when
 * sane, else the record's) and the seed's base64 JSON (`imgtest`) → a file under
 * `<dataDir>/images/<device>/` and one `images` row, once per message: the file is named after
 * the message (its msg_id, else its Kafka record), written aside first and moved into place
 * only for the row that owns it, so a duplicate leaves no orphan file behind.
 */
export function imagesSink(
  engine: StoreEngine,
  dataDir: string,
  bus: EventBus,
  clocks = new DeviceClocks(),
): EngineSink {
  return {
    name: "images",
    topics: [topics.image, topics.imgTest],
    engine,
    async handle(records, tx) {
      const { ok, rejected } = partition(records, (r: SinkRecord): Image => {
        const img = parse(r);
        imageDir(dataDir, img.deviceId); // never outside the images dir, whatever the id
        // a device clock far off (1970, 2099): stored at its arrival time (parse/device-time.ts)
        return { ...img, ts: clocks.believe("images", img.deviceId, img.ts, r.timestamp) };
      });
      for (const { record, value } of ok) await store(tx, dataDir, bus, record, value);
      return rejected;
    },
  };
}

function parse(r: SinkRecord): Image {
  const header = msgIdHeaderOf(r.headers);
  if (r.topic === topics.imgTest) {
    const img = parseImgTest(r.value);
    return header === undefined ? img : { ...img, msgId: header };
  }
  const id = deviceKey(r.key, "image");
  checkJpeg(r.value);
  const ts = capturedAt(r.headers) ?? r.timestamp;
  return { deviceId: id, ts, jpeg: r.value, msgId: header ?? null };
}

/** `<dataDir>/images/<device>`: one folder level below the images dir, or a bad record. */
function imageDir(dataDir: string, id: string): string {
  const root = resolve(dataDir, "images");
  const dir = resolve(root, safe(id));
  if (dirname(dir) !== root || basename(dir) !== safe(id))
    throw new BadRecord(`device id ${JSON.stringify(id)} would leave the images dir`);
  return dir;
}

/**
 * The file is written aside before the row is inserted (in the batch's transaction) and moved
 * into place after: on a crash before the commit the row goes and the redelivery writes again.
 * Only file calls that finish at once here (SQLite's transaction must end in one turn).
 */
async function store(
  tx: StoreOps,
  dataDir: string,
  bus: EventBus,
  record: SinkRecord,
  value: Image,
): Promise<void> {
  const dir = imageDir(dataDir, value.deviceId);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName(record, value));
  const aside = `${path}.part`;
  writeFileSync(aside, value.jpeg);
  const { width, height } = checkJpeg(value.jpeg);
  const id = await tx.images.insert({
    deviceId: value.deviceId,
    ts: value.ts,
    path,
    bytes: value.jpeg.length,
    width,
    height,
    ...sourceOf(record),
    msgId: value.msgId,
  });
  const fresh = id !== undefined;
  // A duplicate: its file goes, unless the stored row's file is missing (a crash came between
  // that row's insert and its rename) — then this copy completes it.
  const owner = fresh
    ? path
    : await tx.images.storedPath(sourceOf(record), value.deviceId, value.msgId);
  if (owner !== undefined && (fresh || !existsSync(owner))) renameSync(aside, owner);
  else unlinkSync(aside);
  await tx.devices.touch(value.deviceId, value.ts);
  if (fresh) bus.publish({ type: "image" });
}

/** After the msg_id when there is one (any copy finds the same name), else the Kafka record. */
function fileName(record: SinkRecord, value: Image): string {
  if (value.msgId === null) {
    // the whole Kafka record identity: an offset alone is given again after a truncation
    const at = `${record.partition}-${record.offset}-${record.epoch}-${record.timestamp}`;
    return `${value.ts}-${safe(record.topic)}-${at}.jpg`;
  }
  // Safe ids are used as they are; otherwise a hash, as the folder name may be shared by
  // devices whose ids differ only in unsafe characters: no two messages get one name.
  const plain = /^[a-zA-Z0-9_-][a-zA-Z0-9._-]*$/;
  if (plain.test(value.msgId) && plain.test(value.deviceId)) return `m-${value.msgId}.jpg`;
  const hash = createHash("sha256").update(`${value.deviceId}\0${value.msgId}`).digest("hex");
  return `h-${hash}.jpg`;
}
