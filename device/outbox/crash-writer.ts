/**
 * Test helper for the crash test: appends readings to an outbox as fast as it can, acknowledging
 * a few now and then, and prints `append <id>` / `ack <id>` after each is durable — until it is
 * killed. Usage: bun crash-writer.ts <data-dir>
 */
import { createLogger } from "../../src/core/log/index.ts";
import { Outbox } from "./index.ts";

const dataDir = process.argv[2]!;
const outbox = new Outbox({
  dataDir,
  maxBytes: 64 << 20,
  boot: 1,
  log: createLogger("silent"),
  segmentBytes: 4096,
});
for (let i = 1; ; i++) {
  const ts = Date.now();
  const id = outbox.append(
    "telemetry",
    Buffer.from(JSON.stringify({ ts, temperature: i % 40, humidity: 50 })),
  );
  process.stdout.write(`append ${id}\n`);
  if (i % 7 === 0) {
    const { messages, end } = outbox.peek(5);
    outbox.ack(end);
    process.stdout.write(`ack ${messages.at(-1)!.msgId}\n`);
  }
}
