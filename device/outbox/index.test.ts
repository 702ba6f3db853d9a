import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "../../src/core/log/index.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { Outbox } from "./index.ts";

const dirs = tempDirs("iot-outbox-");
afterAll(() => dirs.cleanup());
const log = createLogger("silent");
/** start time 0: ids are `<boot>.0-<seq>` */
const open = (dataDir: string, boot = 1, maxBytes = 1 << 20, segmentBytes?: number) =>
  new Outbox({ dataDir, maxBytes, boot, log, segmentBytes, startMs: 0 });
const text = (n: number) => Buffer.from(`reading ${n}`);
/** Everything waiting, oldest first, acknowledged as it is read (as the sender does). */
const drain = (o: Outbox) => {
  const out = [];
  for (;;) {
    const { messages, end } = o.peek(50);
    if (messages.length === 0) return out;
    out.push(...messages);
    o.ack(end);
  }
};

describe("outbox", () => {
  test("message ids are unique per boot and survive in the entries", () => {
    const o = open(dirs.make(), 35);
    expect(o.append("telemetry", text(1))).toBe("z.0-1");
    expect(o.append("image", text(2), { captured_at: "17" })).toBe("z.0-2");
    const [a, b] = drain(o);
    expect(a).toEqual({ kind: "telemetry", msgId: "z.0-1", headers: {}, payload: text(1) });
    expect(b).toEqual({
      kind: "image",
      msgId: "z.0-2",
      headers: { captured_at: "17" },
      payload: text(2),
    });
    o.close();
  });

  test("what was not acknowledged is delivered again after a restart, in order", () => {
    const dir = dirs.make();
    let o = open(dir, 1);
    for (let i = 1; i <= 5; i++) o.append("telemetry", text(i));
    const first = o.peek(2);
    o.ack(first.end);
    o.close();
    o = open(dir, 2);
    expect(drain(o).map((m) => m.msgId)).toEqual(["1.0-3", "1.0-4", "1.0-5"]);
    expect(o.append("telemetry", text(6))).toBe("2.0-1");
    expect(drain(o).map((m) => m.payload.toString())).toEqual(["reading 6"]);
    expect(o.length).toBe(0);
    o.close();
  });

  test("bounded by bytes: the oldest go first, counted", () => {
    const o = open(dirs.make(), 1, 2048, 512);
    for (let i = 0; i < 100; i++) o.append("telemetry", Buffer.alloc(100, i));
    expect(o.dropped).toBeGreaterThan(0);
    expect(o.bytes).toBeLessThanOrEqual(2048 + 512);
    const left = drain(o);
    expect(left.length + o.dropped).toBe(100);
    expect(left.at(-1)!.msgId).toBe("1.0-100"); // the newest are kept
    o.close();
  });

  test("a torn tail (power cut mid-write) is dropped, the rest kept", () => {
    const dir = dirs.make();
    let o = open(dir);
    for (let i = 1; i <= 3; i++) o.append("telemetry", text(i));
    o.close();
    const seg = readdirSync(join(dir, "outbox")).find((f) => f.endsWith(".log"))!;
    appendFileSync(join(dir, "outbox", seg), Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 0x7b]));
    o = open(dir, 2);
    o.append("telemetry", text(4));
    o.close();
    o = open(dir, 3);
    expect(drain(o).map((m) => m.msgId)).toEqual(["1.0-1", "1.0-2", "1.0-3", "2.0-1"]);
    o.close();
  });

  test("whenNotEmpty resolves at the next append", async () => {
    const o = open(dirs.make());
    let woke = false;
    const p = o.whenNotEmpty().then(() => (woke = true));
    await Bun.sleep(10);
    expect(woke).toBe(false);
    o.append("telemetry", text(1));
    await p;
    expect(woke).toBe(true);
    o.close();
  });

  test("kill -9 mid-stream: nothing durable lost, nothing twice, acknowledged ones gone", async () => {
    const dir = dirs.make();
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "crash-writer.ts"), dir], {
      stdout: "pipe",
      stderr: "inherit",
    });
    const lines: string[] = [];
    const decoder = new TextDecoder();
    let buf = "";
    const reader = child.stdout.getReader();
    while (lines.filter((l) => l.startsWith("append")).length < 400) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value);
      const parts = buf.split("\n");
      buf = parts.pop()!;
      lines.push(...parts);
    }
    child.kill("SIGKILL");
    await child.exited;
    const appended = lines.filter((l) => l.startsWith("append ")).map((l) => l.slice(7));
    const acked = lines.filter((l) => l.startsWith("ack ")).map((l) => l.slice(4));
    expect(appended.length).toBeGreaterThanOrEqual(400);

    const o = open(dir, 2, 64 << 20, 4096);
    const got = drain(o).map((m) => m.msgId);
    expect(new Set(got).size).toBe(got.length); // none twice
    const seqOf = (id: string) => Number(id.split("-")[1]);
    // in order, contiguous
    got.forEach((id, i) => i > 0 && expect(seqOf(id)).toBe(seqOf(got[i - 1]!) + 1));
    // everything after the last printed acknowledgement that was printed as written is there
    const lastAck = seqOf(acked.at(-1)!);
    for (const id of appended.filter((id) => seqOf(id) > lastAck)) expect(got).toContain(id);
    // and nothing acknowledged comes back
    expect(seqOf(got[0]!)).toBeGreaterThan(lastAck);
    o.close();
  });
});
