/**
 * kafkajs 2.2.4 as the oracle: requests encoded by its own encoders decode with ours, and
 * responses encoded by ours decode with its own decoders, field for field.
 */
import { describe, expect, test } from "bun:test";
import { decodeRequestHeader } from "./header.ts";
import { apis } from "./index.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

const frameOf = require("kafkajs/src/protocol/request.js");
const req = (path: string) => require(`kafkajs/src/protocol/requests/${path}/request.js`);
const res = (path: string) => require(`kafkajs/src/protocol/requests/${path}/response.js`);

async function decodeKafkajsRequest(request: { apiKey: number; apiVersion: number }) {
  const frame: Buffer = (await frameOf({ correlationId: 7, clientId: "oracle", request })).buffer;
  const r = new Reader(frame.subarray(4));
  const header = decodeRequestHeader(r, false);
  const body = apis.get(request.apiKey)!.versions[request.apiVersion]!.request.read(r);
  expect(r.remaining).toBe(0);
  expect(header).toEqual({
    apiKey: request.apiKey,
    apiVersion: request.apiVersion,
    correlationId: 7,
    clientId: "oracle",
  });
  return body;
}

async function kafkajsDecodes(key: number, version: number, path: string, body: object) {
  const w = new Writer();
  apis.get(key)!.versions[version]!.response.write(w, body);
  return res(path).decode(Buffer.from(w.finish()));
}

describe("requests from kafkajs's encoders", () => {
  test("Produce v3 and v7", async () => {
    for (const v of [3, 7]) {
      const body = await decodeKafkajsRequest(
        req(`produce/v${v}`)({
          acks: -1,
          timeout: 1000,
          topicData: [{ topic: "t", partitions: [{ partition: 1, messages: [{ value: "x" }] }] }],
        }),
      );
      expect(body).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 1000 });
      expect(body.topicData[0].partitionData[0].index).toBe(1);
    }
  });

  test("Fetch v4, v7 and v11", async () => {
    for (const v of [4, 7, 11]) {
      const body = await decodeKafkajsRequest(
        req(`fetch/v${v}`)({
          replicaId: -1,
          maxWaitTime: 500,
          minBytes: 1,
          maxBytes: 1000,
          topics: [{ topic: "t", partitions: [{ partition: 0, fetchOffset: "42", maxBytes: 99 }] }],
        }),
      );
      expect(body).toMatchObject({ maxWaitMs: 500, minBytes: 1, maxBytes: 1000 });
      expect(body.topics[0].partitions[0]).toMatchObject({
        partition: 0,
        fetchOffset: 42,
        partitionMaxBytes: 99,
      });
    }
  });

  test("Metadata, JoinGroup, SyncGroup, OffsetCommit, CreateTopics", async () => {
    const meta = await decodeKafkajsRequest(
      req("metadata/v4")({ topics: ["a", "b"], allowAutoTopicCreation: false }),
    );
    expect(meta).toEqual({ topics: ["a", "b"], allowAutoTopicCreation: false });
    const join = await decodeKafkajsRequest(
      req("joinGroup/v5")({
        groupId: "g",
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: "",
        protocolType: "consumer",
        groupProtocols: [{ name: "RoundRobinAssigner", metadata: Buffer.from([1]) }],
      }),
    );
    expect(join).toMatchObject({
      groupId: "g",
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      groupInstanceId: null,
    });
    const sync = await decodeKafkajsRequest(
      req("syncGroup/v3")({
        groupId: "g",
        generationId: 2,
        memberId: "m",
        groupAssignment: [{ memberId: "m", memberAssignment: Buffer.from([9]) }],
      }),
    );
    expect([...sync.assignments[0].assignment]).toEqual([9]);
    const commit = await decodeKafkajsRequest(
      req("offsetCommit/v5")({
        groupId: "g",
        groupGenerationId: 3,
        memberId: "m",
        topics: [{ topic: "t", partitions: [{ partition: 0, offset: "5" }] }],
      }),
    );
    expect(commit.topics[0].partitions[0]).toEqual({
      partitionIndex: 0,
      committedOffset: 5,
      committedMetadata: null,
    });
    const create = await decodeKafkajsRequest(
      req("createTopics/v3")({ topics: [{ topic: "t" }], timeout: 5000 }),
    );
    expect(create.topics[0]).toMatchObject({ name: "t", numPartitions: -1, replicationFactor: -1 });
  });
});

describe("responses decoded by kafkajs's decoders", () => {
  test("ApiVersions v2", async () => {
    const out = await kafkajsDecodes(18, 2, "apiVersions/v2", {
      errorCode: 0,
      apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 7 }],
      throttleTimeMs: 0,
    });
    expect(out.apiVersions).toEqual([{ apiKey: 0, minVersion: 0, maxVersion: 7 }]);
  });

  test("Metadata v4", async () => {
    const out = await kafkajsDecodes(3, 4, "metadata/v4", {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: "127.0.0.1", port: 9092, rack: null }],
      clusterId: "iot",
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: "t",
          isInternal: false,
          partitions: [
            { errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] },
          ],
        },
      ],
    });
    expect(out.brokers).toEqual([{ nodeId: 1, host: "127.0.0.1", port: 9092, rack: null }]);
    expect(out.controllerId).toBe(1);
    expect(out.topicMetadata[0].partitionMetadata[0]).toMatchObject({ partitionId: 0, leader: 1 });
  });

  test("Produce v7 puts throttle_time_ms at the end", async () => {
    const out = await kafkajsDecodes(0, 7, "produce/v7", {
      responses: [
        {
          name: "t",
          partitionResponses: [
            { index: 0, errorCode: 0, baseOffset: 12, logAppendTimeMs: -1, logStartOffset: 0 },
          ],
        },
      ],
      throttleTimeMs: 0,
    });
    expect(out.topics[0].partitions[0]).toMatchObject({
      partition: 0,
      errorCode: 0,
      baseOffset: "12",
    });
    expect(out.throttleTime).toBe(0);
  });

  test("JoinGroup v5 and OffsetFetch v4", async () => {
    const join = await kafkajsDecodes(11, 5, "joinGroup/v5", {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 3,
      protocolName: "RoundRobinAssigner",
      leader: "a",
      memberId: "a",
      members: [{ memberId: "a", groupInstanceId: null, metadata: Buffer.from([1, 2]) }],
    });
    expect(join).toMatchObject({
      generationId: 3,
      groupProtocol: "RoundRobinAssigner",
      leaderId: "a",
      memberId: "a",
    });
    const fetched = await kafkajsDecodes(9, 4, "offsetFetch/v4", {
      throttleTimeMs: 0,
      topics: [
        {
          name: "t",
          partitions: [{ partitionIndex: 0, committedOffset: -1, metadata: "", errorCode: 0 }],
        },
      ],
      errorCode: 0,
    });
    expect(fetched.responses[0].partitions[0]).toMatchObject({ partition: 0, offset: "-1" });
  });
});
