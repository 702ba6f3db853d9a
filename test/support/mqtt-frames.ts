/** MQTT framing for tests that write raw bytes: capture what mqtt.js sends, split it, size it. */
import { connect, createServer, type Socket } from "node:net";

/** MQTT Remaining Length: 7 bits a byte, low group first, high bit = more follows. */
export function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** Splits a well-formed client byte stream into its packets (fixed header included). */
export function splitPackets(stream: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  let pos = 0;
  while (pos < stream.length) {
    let length = 0;
    let i = pos + 1;
    for (let shift = 0; ; shift += 7, i++) {
      length += (stream[i]! & 0x7f) * 2 ** shift;
      if (!(stream[i]! & 0x80)) break;
    }
    const end = i + 1 + length;
    packets.push(stream.subarray(pos, end));
    pos = end;
  }
  return packets;
}

/**
 * Runs `script` (real mqtt.js clients connecting to the URL it is given) through a recording
 * proxy in front of the broker, and returns every packet the clients sent, in order.
 */
export async function captureClientPackets(
  brokerPort: number,
  script: (url: string) => Promise<void>,
): Promise<Buffer[]> {
  const streams: Buffer[][] = [];
  const sockets: Socket[] = [];
  const proxy = createServer((client) => {
    const sent: Buffer[] = [];
    streams.push(sent);
    const upstream = connect(brokerPort, "127.0.0.1");
    sockets.push(client, upstream);
    client.on("data", (d: Buffer) => (sent.push(d), upstream.write(d)));
    upstream.on("data", (d) => client.write(d));
    client.on("close", () => upstream.end());
    upstream.on("close", () => client.end());
    for (const s of [client, upstream]) s.on("error", () => {});
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as { port: number };
  try {
    await script(`mqtt://127.0.0.1:${port}`);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  }
  return streams.flatMap((chunks) => splitPackets(Buffer.concat(chunks)));
}
