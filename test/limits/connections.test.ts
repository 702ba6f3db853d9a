/**
 * File descriptors and timeouts of the compiled `iot serve`: a flood of idle connections larger
 * than the process's own open-file limit must not stop /healthz or the MQTT → API path; every
 * listener closes what stays silent (no CONNECT, no login, a stalled HTTP body) while event
 * streams stay open; connection caps and the per-address cap refuse the excess with a log line.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mqtt from "mqtt";
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { compileIot } from "../support/iot-binary.ts";
import { openFds } from "../support/proc.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-connections-");
let binary: string;
beforeAll(async () => {
  binary = await compileIot(dirs.make());
}, 60_000);
afterAll(() => dirs.cleanup());

async function startBinary(args: string[] = []) {
  const dataDir = dirs.make();
  const log = join(dataDir, "serve.log");
  const serve = await startServeProcess({ dataDir, command: [binary], args, stderrFile: log });
  return { serve, log: () => readFileSync(log, "utf8") };
}

/** A TCP connection from `localAddress` (any 127.x.y.z) that records when it closed. */
function openSocket(port: number, localAddress = "127.0.0.1") {
  const s = connect({ port, host: "127.0.0.1", localAddress });
  const state = { socket: s, closedAt: 0, connected: false };
  const opened = Date.now();
  s.on("connect", () => (state.connected = true));
  s.on("close", () => (state.closedAt = Date.now() - opened));
  s.on("error", () => {});
  return state;
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text;
}

/** An MQTT 3.1.1 CONNECT (clean session, keepalive 60) over a raw socket: was it accepted? */
function mqttConnect(port: number, clientId: string) {
  const id = Buffer.from(clientId);
  const body = Buffer.concat([
    Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 60, id.length >> 8, id.length & 255]),
    id,
  ]);
  const socket = connect(port, "127.0.0.1", () =>
    socket.write(Buffer.concat([Buffer.from([0x10, body.length]), body])),
  );
  socket.on("error", () => {});
  const accepted = new Promise<boolean>((resolve) => {
    socket.once("data", (d: Buffer) => resolve(d[0] === 0x20 && d[3] === 0));
    socket.once("close", () => resolve(false));
    setTimeout(() => resolve(false), 5000);
  });
  return { socket, accepted };
}

/** ApiVersions v0, correlation id 1, null client id */
const apiVersions = Buffer.from([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0xff, 0xff]);

describe("a flood of idle Kafka connections larger than the fd limit (defaults)", () => {
  let serve: ServeProcess;
  let log: () => string;
  beforeAll(async () => {
    ({ serve, log } = await startBinary());
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
  });

  test("25,000 idle connections: /healthz answers, MQTT readings still arrive, the server's fds stay under the cap", async () => {
    const limit = Number(
      /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${serve.proc.pid}/limits`, "utf8"))![1],
    );
    // two helper processes, each under its own open-file limit: more than the server's in all
    const perProcess = Math.ceil(Math.max(25_000, limit + 1000) / 2);
    const floods = [0, 1].map((k) =>
      Bun.spawn(
        [
          process.execPath,
          join(import.meta.dir, "../support/connection-flood.ts"),
          String(serve.kafkaPort),
          String(perProcess),
          "50", // connections per source address: under the per-address cap
          String(k * 1000),
        ],
        { stdout: "pipe", stderr: "ignore" },
      ),
    );
    let maxFds = 0;
    const sampler = setInterval(() => {
      try {
        maxFds = Math.max(maxFds, openFds(serve.proc.pid));
      } catch {
        // the server is gone: the assertions below say so
      }
    }, 200);
    try {
      // each prints a line once every connect settled (each has 3 s; none starts after 30 s)
      await Promise.race([Promise.all(floods.map((f) => firstLine(f.stdout))), Bun.sleep(45_000)]);
      const health = await fetch(`http://127.0.0.1:${serve.httpPort}/healthz`, {
        signal: AbortSignal.timeout(5000),
      }).then(
        (r) => r.status,
        (e: Error) => e.message,
      );
      expect(health).toBe(200);
      // the pipeline from a device to the API still works
      const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${serve.mqttPort}`, {
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      await device.publishAsync("iot/flooded/telemetry", JSON.stringify({ temperature: 20 }), {
        qos: 1,
      });
      await device.endAsync();
      await waitFor(
        async () =>
          (
            await (
              await fetch(`http://127.0.0.1:${serve.httpPort}/api/readings?device_id=flooded`)
            ).json()
          ).length === 1,
        15_000,
        "the reading of a device that connected during the flood",
      );
      expect(maxFds).toBeLessThan(1024 + 400); // the default cap, plus the process's own
      expect(log()).toContain("connection refused: listener at its connection limit");
      const metrics = await (await fetch(`http://127.0.0.1:${serve.httpPort}/metrics`)).text();
      expect(metrics).toMatch(
        /iot_connections_refused_total\{listener="kafka",reason="max-connections"\} [1-9]/,
      );
    } finally {
      clearInterval(sampler);
      for (const f of floods) f.kill("SIGKILL");
      await Promise.all(floods.map((f) => f.exited));
    }
  }, 150_000);
});

describe("timeouts and caps (short settings)", () => {
  let serve: ServeProcess;
  let log: () => string;
  beforeAll(async () => {
    ({ serve, log } = await startBinary([
      ...["--handshake-timeout-seconds", "2", "--idle-timeout-seconds", "4"],
      ...["--http-idle-timeout-seconds", "2", "--http-max-requests", "6"],
      ...["--mqtt-max-connections", "30", "--max-pending-per-address", "20"],
    ]));
  }, 60_000);
  afterAll(async () => {
    await serve?.stop();
  });

  test("Kafka: a silent connection is closed after the handshake timeout, one idle after a request after the idle timeout", async () => {
    const silent = openSocket(serve.kafkaPort);
    const idle = openSocket(serve.kafkaPort);
    idle.socket.once("connect", () => idle.socket.write(apiVersions));
    await waitFor(() => silent.closedAt > 0, 6000, "the silent connection to be closed");
    expect(silent.closedAt).toBeGreaterThanOrEqual(1500);
    expect(idle.closedAt).toBe(0);
    await waitFor(() => idle.closedAt > 0, 8000, "the idle connection to be closed");
    expect(idle.closedAt).toBeGreaterThanOrEqual(3500);
  }, 30_000);

  test("Kafka: connections from one address that have not sent a request are capped, with a log line", async () => {
    const flood = Array.from({ length: 40 }, () => openSocket(serve.kafkaPort, "127.2.0.1"));
    await Bun.sleep(1000); // before the handshake timeout closes the rest
    const open = flood.filter((s) => s.connected && s.closedAt === 0).length;
    for (const s of flood) s.socket.destroy();
    expect(open).toBeLessThanOrEqual(20);
    expect(open).toBeGreaterThan(0);
    expect(log()).toContain("too many unauthenticated connections from one address");
  }, 30_000);

  test("MQTT: a socket that never sends CONNECT is closed after the handshake timeout", async () => {
    const silent = openSocket(serve.mqttPort);
    await waitFor(() => silent.closedAt > 0, 6000, "the silent MQTT socket to be closed");
    expect(silent.closedAt).toBeGreaterThanOrEqual(1500);
  }, 30_000);

  test("MQTT: clients beyond --mqtt-max-connections are refused on accept, with a log line and a metric", async () => {
    const clients: Socket[] = [];
    let refused = 0;
    try {
      for (let i = 0; i < 45; i++) {
        // one after the other: each is past CONNECT before the next, so only the cap counts
        const c = mqttConnect(serve.mqttPort, `cap-${i}`);
        clients.push(c.socket);
        if (!(await c.accepted)) refused++;
      }
      expect(refused).toBe(15);
      expect(log()).toMatch(/connection refused: listener at its connection limit listener=mqtt/);
      const metrics = await (await fetch(`http://127.0.0.1:${serve.httpPort}/metrics`)).text();
      expect(metrics).toMatch(
        /iot_connections_refused_total\{listener="mqtt",reason="max-connections"\} [1-9]/,
      );
    } finally {
      for (const c of clients) c.destroy();
    }
  }, 60_000);

  test("HTTP: a stalled body is closed after the idle timeout while SSE and /video_feed streams stay open", async () => {
    const slow = openSocket(serve.httpPort);
    slow.socket.once("connect", () =>
      slow.socket.write(
        "POST /office_status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
          'Content-Length: 100\r\n\r\n{"room_no":',
      ),
    );
    // raw sockets: /video_feed sends its headers with the first frame, and there is none here
    const get = (path: string) => {
      const s = openSocket(serve.httpPort);
      s.socket.once("connect", () => s.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
      let head = "";
      s.socket.on("data", (d: Buffer) => (head += d.toString("latin1")));
      return { ...s, head: () => head };
    };
    const sse = get("/events?view=overview");
    const video = get("/video_feed");
    try {
      await waitFor(() => slow.closedAt > 0, 8000, "the stalled body's connection to be closed");
      await Bun.sleep(Math.max(0, 5000 - slow.closedAt)); // both streams outlive 2 × the timeout
      expect({ sse: sse.closedAt, video: video.closedAt }).toEqual({ sse: 0, video: 0 });
      expect(sse.head()).toContain("text/event-stream");
    } finally {
      for (const s of [slow, sse, video]) s.socket.destroy();
    }
  }, 30_000);

  test("HTTP: beyond --http-max-requests in progress, requests get 503 at once; /healthz still answers", async () => {
    const abort = new AbortController();
    const streams = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(`http://127.0.0.1:${serve.httpPort}/events?view=overview`, {
          signal: abort.signal,
        }),
      ),
    );
    try {
      expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const busy = await fetch(`http://127.0.0.1:${serve.httpPort}/api/devices`);
      expect(busy.status).toBe(503);
      expect((await busy.json()).message).toContain("too many requests");
      expect((await fetch(`http://127.0.0.1:${serve.httpPort}/healthz`)).status).toBe(200);
      expect(log()).toContain("request refused: HTTP listener at its request limit");
    } finally {
      abort.abort();
    }
  }, 30_000);
});
