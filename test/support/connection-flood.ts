/**
 * A child process that opens many idle TCP connections to one port and holds them until it is
 * killed, so a test can go past its own open-file limit by running several. Each connection
 * comes from a loopback source address (127.1.<a>.<b>) shared by `perAddress` connections,
 * so per-address caps need not be what stops them. At most `window` connects are pending at
 * once, each given 3 s; none is started after `seconds`. Prints
 * `attempted <n> connected <c> failed <f>` when every attempt has settled.
 *
 *   bun test/support/connection-flood.ts <port> <count> <perAddress> <firstAddress> [seconds]
 */
import { connect, type Socket } from "node:net";

const [port, count, perAddress, first, seconds = 30] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
  number?,
];
const window = 500;
const deadline = Date.now() + seconds * 1000;
const held: Socket[] = [];
let attempted = 0;
let connected = 0;
let failed = 0;

function open(i: number): Promise<void> {
  const a = first + Math.floor(i / perAddress);
  const localAddress = `127.1.${Math.floor(a / 250) % 250}.${(a % 250) + 1}`;
  return new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1", localAddress });
    const timer = setTimeout(() => {
      failed++;
      s.destroy();
      resolve();
    }, 3000);
    s.on("connect", () => {
      clearTimeout(timer);
      connected++;
      resolve();
    });
    s.on("error", () => {
      clearTimeout(timer);
      failed++;
      resolve();
    });
    held.push(s);
  });
}

async function worker(): Promise<void> {
  while (attempted < count && Date.now() < deadline) await open(attempted++);
}

await Promise.all(Array.from({ length: window }, worker));
console.log(`attempted ${attempted} connected ${connected} failed ${failed}`);
setInterval(() => {}, 1 << 30); // hold them until killed
