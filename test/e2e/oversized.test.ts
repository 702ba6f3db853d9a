/**
 * Oversized input at every listener of `iot serve` (a child process): refused on what its
 * header announces, never buffered first. Memory is the server's own peak RSS (VmHWM, reset
 * before each case through /proc/<pid>/clear_refs), so "not buffered" is measured, not assumed.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { Kafka, logLevel } from "kafkajs";
import mqtt from "mqtt";
import { connect, type Socket } from "node:net";
import { readTopic } from "../bridge/read-topic.ts";
import { remainingLength } from "../support/mqtt-frames.ts";
import { useServeProcess } from "../support/use-serve.ts";

const MB = 1 << 20;
const iot = useServeProcess("iot-oversized-", {
  // 4 MiB: a chunked body is held up to the limit (hono's bodyLimit grows its buffer by
  // doubling), so a small limit keeps that far below what the growth check would notice
  args: ["--log-level", "error", "--http-max-body-bytes", String(4 * MB)],
});

/** far below any of the 100 MB – 2 GB announced here, far above the server's noise */
const allowedGrowth = 48 * MB;

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]);
  return { rss: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
}

/** Measures the server's peak RSS over `work`, relative to its RSS before. */
async function peakGrowth(work: () => Promise<void>): Promise<number> {
  const pid = iot.serve.proc.pid;
  writeFileSync(`/proc/${pid}/clear_refs`, "5"); // resets VmHWM to the current RSS
  const before = memory(pid).rss;
  await work();
  return memory(pid).peak - before;
}

/**
 * Writes `head`, then up to `total` bytes of body in 1 MiB chunks, stopping early when the server
 * answers or closes. Returns what was sent and what came back.
 */
async function stream(
  port: number,
  head: Buffer,
  total: number,
  chunk: Buffer = Buffer.alloc(MB, 0x61),
) {
  const socket: Socket = connect(port, "127.0.0.1");
  let reply = Buffer.alloc(0);
  let closed = false;
  let reset = false;
  let settle = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  socket.on("data", (d: Buffer) => ((reply = Buffer.concat([reply, d])), settle()));
  socket.on("close", () => ((closed = true), settle()));
  // the peer's reset shows as ECONNRESET on a read, or as EPIPE on the write that meets it
  socket.on(
    "error",
    (e: NodeJS.ErrnoException) => void (reset ||= e.code === "ECONNRESET" || e.code === "EPIPE"),
  );
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(head);
  let sent = 0;
  while (!closed && reply.length === 0 && sent < total) {
    // at the server's pace: wait while the socket's buffer is full, and let replies arrive
    if (!socket.write(chunk)) await Promise.race([settled, drained(socket)]);
    sent += chunk.length;
    await Bun.sleep(2);
  }
  for (let i = 0; i < 100 && !closed && reply.length === 0; i++) await Bun.sleep(50);
  socket.destroy();
  return { sent, reply: reply.toString("latin1"), closed, reset };
}

/** The socket took its buffered bytes, or 2 s passed (a server that stopped reading). */
const drained = (socket: Socket) =>
  Promise.race([new Promise((resolve) => socket.once("drain", resolve)), Bun.sleep(2000)]);

describe("oversized input is refused before it is buffered", () => {
  test("MQTT: a PUBLISH announcing 100 MB closes the connection early; the broker serves others", async () => {
    const url = `mqtt://127.0.0.1:${iot.serve.mqttPort}`;
    const other = await mqtt.connectAsync(url, { clientId: "stays", reconnectPeriod: 0 });
    let result = { sent: 0, closed: false, reply: "" };
    const growth = await peakGrowth(async () => {
      // CONNECT ("MQTT", level 4, clean session, keepalive 60, client id "big"), then the PUBLISH
      const connectPacket = [0x10, 15, 0, 4, 77, 81, 84, 84, 4, 2, 0, 60, 0, 3, 98, 105, 103];
      const publishHead = [0x30, ...remainingLength(100 * MB), 0, 1, 0x78];
      result = await stream(
        iot.serve.mqttPort,
        Buffer.from([...connectPacket, ...publishHead]),
        100 * MB,
      );
    });
    expect(result.closed).toBe(true);
    expect(result.sent).toBeLessThan(20 * MB);
    expect(growth).toBeLessThan(allowedGrowth);
    await other.publishAsync("iot/stays/telemetry", JSON.stringify({ temperature: 20 }), {
      qos: 1,
    });
    await other.endAsync();
    const records = await readTopic(iot.serve.kafkaAddress, "iot.telemetry", 1);
    expect(records.map((r) => r.key)).toEqual(["stays"]);
    const metrics = await (await fetch(`${iot.http}/metrics`)).text();
    expect(metrics).toContain('iot_mqtt_refused_total{reason="packet too large"} 1');
  });

  const httpHead = (headers: string) =>
    Buffer.from(
      `POST /entrance HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${headers}\r\n\r\n`,
    );
  const jsonOf = (reply: string) => JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4));

  test("HTTP: Content-Length 1 GB gets 413 with a JSON reason before the body is read", async () => {
    let result = { sent: 0, closed: false, reply: "" };
    const growth = await peakGrowth(async () => {
      result = await stream(iot.serve.httpPort, httpHead("Content-Length: 1073741824"), 256 * MB);
    });
    expect(result.reply).toStartWith("HTTP/1.1 413");
    expect(jsonOf(result.reply)).toEqual({ message: "body: larger than 4194304 bytes" });
    expect(growth).toBeLessThan(allowedGrowth);
    expect((await fetch(`${iot.http}/healthz`)).status).toBe(200);
  });

  test("HTTP: a chunked body without a length gets 413 once it passes the limit", async () => {
    const chunk = Buffer.concat([
      Buffer.from(`${MB.toString(16)}\r\n`),
      Buffer.alloc(MB, 0x61),
      Buffer.from("\r\n"),
    ]);
    let result = { sent: 0, closed: false, reply: "", reset: false };
    const growth = await peakGrowth(async () => {
      // The server closes once it has answered, while body bytes are still arriving: its kernel
      // then resets the connection, and a reset that overtakes the 413 drops it on our side
      // (seen twice in CI, under load; the second time no ECONNRESET was reported, only the
      // close). Such a try proves nothing either way: up to 3 tries while nothing came back and
      // the connection was reset or closed (a server that never answers fails all three).
      for (
        let i = 0;
        i < 3 && (i === 0 || (result.reply === "" && (result.reset || result.closed)));
        i++
      )
        result = await stream(
          iot.serve.httpPort,
          httpHead("Transfer-Encoding: chunked"),
          256 * MB,
          chunk,
        );
    });
    expect(result.reply).toStartWith("HTTP/1.1 413");
    expect(jsonOf(result.reply).message).toBe("body: larger than 4194304 bytes");
    expect(result.sent).toBeLessThan(64 * MB);
    expect(growth).toBeLessThan(allowedGrowth);
    expect((await fetch(`${iot.http}/healthz`)).status).toBe(200);
  });

  test("Kafka: a frame announcing ~2 GB closes the connection; other clients are served", async () => {
    const producer = new Kafka({
      brokers: [iot.serve.kafkaAddress],
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    let result = { sent: 0, closed: false, reply: "" };
    const growth = await peakGrowth(async () => {
      const head = Buffer.alloc(4);
      head.writeInt32BE(0x7fff_fff0, 0);
      result = await stream(iot.serve.kafkaPort, head, 100 * MB);
    });
    expect(result.closed).toBe(true);
    expect(result.reply).toBe("");
    expect(result.sent).toBeLessThan(20 * MB);
    expect(growth).toBeLessThan(allowedGrowth);
    await producer.send({
      topic: "oversized-after",
      acks: -1,
      messages: [{ value: "still here" }],
    });
    await producer.disconnect();
    const records = await readTopic(iot.serve.kafkaAddress, "oversized-after", 1);
    expect(records.map((r) => `${r.value}`)).toEqual(["still here"]);
  });
});
