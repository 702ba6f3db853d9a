/**
 * Request frames captured from the real clients (kcat 1.7.1 / librdkafka 2.0.2 and
 * kafka-python 2.0.2) through a recording proxy: every one must decode with exactly its bytes
 * consumed — a layout off by one field would leave bytes over or run out.
 */
import { describe, expect, test } from "bun:test";
import captured from "./fixtures/captured-requests.json";
import { decodeRequestHeader, peekHeader } from "./header.ts";
import { apis } from "./index.ts";
import { Reader } from "./reader.ts";
import { readBatchHeader, scanBatches } from "./record-batch.ts";

const frames = Object.entries(captured as Record<string, string>).map(([name, hex]) => {
  const bytes = Buffer.from(hex, "hex");
  return { name, body: bytes.subarray(4), size: bytes.readInt32BE(0) };
});

function decode(body: Uint8Array) {
  const { apiKey, apiVersion } = peekHeader(body);
  const api = apis.get(apiKey)!;
  const r = new Reader(body);
  const header = decodeRequestHeader(r, apiVersion >= api.flexibleFrom);
  const request = api.versions[apiVersion]!.request.read(r);
  return { header, request, remaining: r.remaining };
}

describe("captured client requests", () => {
  test("there are fixtures from both clients", () => {
    expect(frames.filter((f) => f.name.startsWith("kcat-")).length).toBeGreaterThan(8);
    expect(frames.filter((f) => f.name.startsWith("kafka-python-")).length).toBeGreaterThan(8);
  });

  for (const f of frames) {
    test(`${f.name} decodes exactly`, () => {
      expect(f.size).toBe(f.body.length);
      const { header, remaining } = decode(f.body);
      expect(remaining).toBe(0);
      expect(header.clientId).toMatch(/^(rdkafka|kafka-python)/);
    });
  }

  test("kcat's ApiVersions v3 carries its software name and version (flexible header v2)", () => {
    const { request } = decode(frames.find((f) => f.name === "kcat-18-v3")!.body);
    expect(request).toMatchObject({
      clientSoftwareName: "librdkafka",
      clientSoftwareVersion: "2.0.2",
    });
  });

  test("gzip record batches from kcat and kafka-python are valid as captured", () => {
    for (const name of ["kcat-0-v7", "kafka-python-0-v7"]) {
      const { request } = decode(frames.find((f) => f.name === name)!.body);
      const records = request.topicData[0].partitionData[0].records as Uint8Array;
      const scan = scanBatches(records, { maxBatchBytes: 1 << 20 });
      expect(scan.ok).toBe(true);
      expect(readBatchHeader(records, 0).attributes & 7).toBe(1);
    }
  });

  test("group requests name the clients' assignors", () => {
    const kcat = decode(frames.find((f) => f.name === "kcat-11-v5")!.body).request;
    expect(kcat.protocols.map((p: { name: string }) => p.name)).toEqual(["range", "roundrobin"]);
    expect(kcat.sessionTimeoutMs).toBe(45000);
    const py = decode(frames.find((f) => f.name === "kafka-python-11-v2")!.body).request;
    expect(py.protocols.map((p: { name: string }) => p.name)).toEqual(["range", "roundrobin"]);
  });
});
