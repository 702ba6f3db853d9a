/**
 * The seeds' own client, kafka-python 2.0.2 (Debian python3-kafka): the Pi's gzip producer with
 * acks=0 and string fields, and group consumers with auto_offset_reset earliest and latest.
 */
import { describe, expect, test } from "bun:test";
import { readBatchHeader } from "../../src/kafka/protocol/record-batch.ts";
import { python } from "../support/run.ts";
import { useKafkaBroker } from "../support/kafka.ts";

const env = useKafkaBroker("iot-kpy-");

// As the seed's Pi script: gzip, acks=0, JSON with string fields.
const seedProducer = `
import json, sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1], compression_type='gzip', acks=int(sys.argv[3]), linger_ms=50,
                  value_serializer=lambda v: json.dumps(v).encode('utf-8'))
for i in range(int(sys.argv[4])):
    f = p.send(sys.argv[2], {"m_id": "0", "datetime": "2026-11-22 10:00:%02d" % (i % 60), "temp": "%.1f" % (20 + i / 10)})
    if int(sys.argv[3]) != 0:
        f.get(timeout=10)
p.flush()
p.close()
print("sent")
`;

const groupConsumer = `
import json, sys
from kafka import KafkaConsumer, KafkaProducer
brokers, topic, group, reset, produce_after = sys.argv[1:6]
c = KafkaConsumer(topic, bootstrap_servers=brokers, group_id=group, auto_offset_reset=reset)
got = []
def take(records):
    for batch in records.values():
        got.extend(m.value.decode() for m in batch)
while not c.assignment():
    take(c.poll(timeout_ms=200))
if produce_after != "0":
    for tp in c.assignment():
        c.position(tp)  # fixes "latest" before anything new is produced
    p = KafkaProducer(bootstrap_servers=brokers)
    for i in range(int(produce_after)):
        p.send(topic, ("new-%d" % i).encode())
    p.flush()
idle = 0
while idle < 3:  # until nothing arrives for three polls in a row
    records = c.poll(timeout_ms=700)
    idle = 0 if records else idle + 1
    take(records)
c.commit()
c.close()
print(json.dumps(got))
`;

describe("kafka-python", () => {
  test("the seed's gzip producer with acks=0 and acks=1 delivers every reading", async () => {
    for (const acks of ["0", "1"]) {
      const r = await python(seedProducer, [env.broker.address, "temp_test", acks, "30"]);
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe("sent");
    }
    const total = [0, 1].reduce(
      (n, p) => n + (env.broker.logs.partition("temp_test", p)?.highWatermark ?? 0),
      0,
    );
    expect(total).toBe(60);
    // compression_type='gzip' arrives as gzip batches (codec 1), stored as sent. kafka-python,
    // like librdkafka, sends a batch uncompressed when gzip would not make it smaller (a lone
    // record), so look for at least one gzip batch among all of them.
    const codecs: number[] = [];
    for (const p of [0, 1]) {
      const stored = env.broker.logs.partition("temp_test", p)!.read(0, 1 << 20);
      for (let pos = 0; pos < stored.length;) {
        const h = readBatchHeader(stored, pos);
        codecs.push(h.attributes & 0x7);
        pos += 12 + h.batchLength;
      }
    }
    expect(codecs).toContain(1);
  });

  test("a group consumer with auto_offset_reset=earliest reads everything, as strings", async () => {
    const r = await python(groupConsumer, [
      env.broker.address,
      "temp_test",
      "py-earliest",
      "earliest",
      "0",
    ]);
    expect(r.code).toBe(0);
    const got: string[] = JSON.parse(r.stdout);
    expect(got).toHaveLength(60);
    const first = JSON.parse(got.find((g) => g.includes('"temp": "20.0"'))!);
    expect(first).toEqual({ m_id: "0", datetime: "2026-11-22 10:00:00", temp: "20.0" });
  }, 60_000);

  test("a group consumer with auto_offset_reset=latest reads only what came after it joined", async () => {
    const r = await python(groupConsumer, [
      env.broker.address,
      "temp_test",
      "py-latest",
      "latest",
      "5",
    ]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as string[]).sort()).toEqual([
      "new-0",
      "new-1",
      "new-2",
      "new-3",
      "new-4",
    ]);
  }, 60_000);

  test("a committed group resumes where it stopped", async () => {
    // py-earliest committed after the 60 readings; only the 5 produced since are new to it.
    const r = await python(groupConsumer, [
      env.broker.address,
      "temp_test",
      "py-earliest",
      "earliest",
      "0",
    ]);
    expect(r.code).toBe(0);
    const got = (JSON.parse(r.stdout) as string[]).sort();
    expect(got).toEqual(["new-0", "new-1", "new-2", "new-3", "new-4"]);
  }, 60_000);
});
