/**
 * A child process that opens many idle TCP connections to one port and holds them until it is
 * killed, so a test can go past its own open-file limit by running several. Each connection
 * comes from a loopback source address (127.1.<a>.<b>) shared by `perAddress` connections,
 * so per-address caps need not be what stops them. Prints `opened <n> refused <m>` when done.
 *
 *   bun test/support/connection-flood.ts <port> <count> <perAddress> <firstAddress>
 */
import { connect, type Socket } from "node:net";

const [port, count, perAddress, first] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
];
const held: Socket[] = [];
let opened = 0;
let refused = 0;

function open(i: number): Promise<void> {
  const a = first + Math.floor(i / perAddress);
  const localAddress = `127.1.${Math.floor(a / 250) % 250}.${(a % 250) + 1}`;
  return new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1", localAddress }, () => {
      opened++;
      resolve();
    });
    s.on("error", () => {
      refused++;
      resolve();
    });
    held.push(s);
  });
}

const batch = 500;
for (let i = 0; i < count; i += batch) {
  await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, k) => open(i + k)));
}
console.log(`opened ${opened} refused ${refused}`);
setInterval(() => {}, 1 << 30); // hold them until killed
