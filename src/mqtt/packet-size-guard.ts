/**
 * Follows MQTT fixed headers in a byte stream (type byte + remaining length varint) and says
 * "too big" as soon as a packet announces more than the limit, before its body is buffered:
 * aedes would otherwise hold a whole 100 MB PUBLISH in memory.
 */
import { Duplex } from "node:stream";
import type { Socket } from "node:net";

export class PacketSizeScanner {
  private state: "type" | "length" | "body" = "type";
  private length = 0;
  private multiplier = 1;
  private left = 0;

  constructor(private readonly maxBytes: number) {}

  /** false when a packet is over the limit or its header is malformed */
  push(chunk: Uint8Array): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === "type") {
        i++;
        this.state = "length";
        this.length = 0;
        this.multiplier = 1;
      } else if (this.state === "length") {
        const b = chunk[i++]!;
        this.length += (b & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        if (b & 0x80) {
          if (this.multiplier > 128 ** 3) return false; // at most 4 length bytes [MQTT-2.2.3]
          continue;
        }
        if (this.length > this.maxBytes) return false;
        this.left = this.length;
        this.state = this.left === 0 ? "type" : "body";
      } else {
        const n = Math.min(this.left, chunk.length - i);
        i += n;
        this.left -= n;
        if (this.left === 0) this.state = "type";
      }
    }
    return true;
  }
}

/** Wraps a socket so aedes only ever sees bytes of packets within the limit. */
export function guardSocket(socket: Socket, maxBytes: number, onRefused: () => void): Duplex {
  const scanner = new PacketSizeScanner(maxBytes);
  const duplex = new Duplex({
    read: () => void socket.resume(),
    write: (chunk, encoding, cb) => void socket.write(chunk, encoding, cb),
    final: (cb) => {
      socket.end();
      cb();
    },
    destroy: (err, cb) => {
      socket.destroy();
      cb(err);
    },
  });
  socket.on("data", (chunk: Buffer) => {
    if (!scanner.push(chunk)) {
      onRefused();
      socket.destroy();
      return;
    }
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on("end", () => duplex.push(null));
  socket.on("close", () => duplex.destroy());
  socket.on("error", () => duplex.destroy());
  Object.assign(duplex, { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort });
  return duplex;
}
