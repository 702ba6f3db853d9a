/**
 * A connection's next packets are read while its earlier ones are still in flight, up to a bound.
 *
 * aedes reads a socket again only once every packet of its last read is done, and a QoS 1
 * PUBLISH is done once its record is durable — after the bridge's fsync gather (up to 20 ms).
 * Packets that arrived meanwhile waited in the socket for that round to end, then joined the
 * next one: two gathers for one message. At 2,000 QoS 1 msgs/s from 4 windowed publishers,
 * publish → subscriber was p50 12 / p99 30.7 ms; read ahead, the packets join the round that
 * is gathering, p50 5.8 / p99 16 (`bun bench/mqtt-ingest.ts`, its paced run, bridged).
 *
 * The bound keeps what aedes's gate was for: one client cannot pile up unbounded work. Before
 * the CONNACK nothing is read ahead (aedes queues those packets, up to its queue limit).
 * Replaces the client's read loop (`_nextBatch`, its 'readable' listener and `resume`) with one
 * that counts each packet in flight exactly; its checks are aedes's own (paused, an oversized
 * frame being refused, the declared size of a frame still coming).
 */

/** How much one connection may have in flight before its socket is left unread. */
export interface ReadAheadLimits {
  packets: number;
  bytes: number;
}

/**
 * Several times what a steady client keeps in flight (~5 packets each for 4 publishers at
 * 2,000/s); past it a burst is read as aedes reads, once some are done, which keeps a full
 * window batched at full speed (bench/mqtt-ingest: bridged QoS 1 0.847× → 1.05× Mosquitto's
 * acked/s across the runs before and after, within that figure's noise).
 */
export const defaultReadAhead: ReadAheadLimits = { packets: 32, bytes: 256 << 10 };

/** The aedes client fields the read loop uses (aedes 2); checked before installing. */
export interface AedesReadLoop {
  conn: {
    read(size: null): Buffer | null;
    on(event: "readable", listener: () => void): unknown;
    removeListener(event: "readable", listener: (...args: never[]) => void): unknown;
  };
  _parser: {
    parse(buf: Buffer): unknown;
    prependListener(event: "packet", listener: (packet: { length: number }) => void): unknown;
    /** the packet being parsed: its `length` is known once its fixed header is in */
    packet?: { length: number };
  };
  _nextBatch: (err?: Error) => void;
  /** packets handed to aedes's handlers and not done (aedes's enqueue counts them up) */
  _parsingBatch: number;
  _paused: boolean;
  _rejectingPacketTooLarge: boolean;
  connackSent: boolean;
  broker: { maximumPacketSize: number };
  rejectPacketTooLarge(size: number): void;
  resume(): void;
  emit(event: "error", err: Error): boolean;
}

/** The bytes a packet takes on the wire, from its remaining length. */
export function wireSize(remaining: number): number {
  const lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
  return 1 + lengthBytes + remaining;
}

/**
 * Installs the read-ahead loop on a client aedes has just made (before it read anything).
 * False, and nothing changed, when the client does not look like aedes 2's.
 */
export function readAhead(
  client: AedesReadLoop,
  limits: ReadAheadLimits = defaultReadAhead,
): boolean {
  const conn = client?.conn;
  const parser = client?._parser;
  if (
    typeof conn?.read !== "function" ||
    typeof conn.removeListener !== "function" ||
    typeof parser?.parse !== "function" ||
    typeof parser.prependListener !== "function" ||
    typeof client._nextBatch !== "function" ||
    typeof client._parsingBatch !== "number" ||
    typeof client.rejectPacketTooLarge !== "function" ||
    typeof client.broker?.maximumPacketSize !== "number"
  )
    return false;

  // the wire sizes of the packets in flight, oldest first: QoS 1 PUBLISHes are done in the
  // order they came; a packet done out of turn (a PINGREQ) only shifts which size is taken
  // off, and all of them are gone once nothing is in flight
  let sizes: number[] = [];
  let first = 0;
  let bytes = 0;
  const takeOff = () => {
    if (first < sizes.length) bytes -= sizes[first++]!;
    if (client._parsingBatch === 0) [sizes, first, bytes] = [[], 0, 0];
    else if (first > 512 && first * 2 > sizes.length) [sizes, first] = [sizes.slice(first), 0];
  };
  parser.prependListener("packet", (packet) => {
    const size = wireSize(packet.length);
    sizes.push(size);
    bytes += size;
  });

  const room = () =>
    client.connackSent
      ? client._parsingBatch < limits.packets && bytes < limits.bytes
      : client._parsingBatch === 0;

  const read = () => {
    if (client._paused || client._rejectingPacketTooLarge || !room()) return;
    const buf = conn.read(null);
    if (!buf) return;
    parser.parse(buf);
    // a frame still coming has announced its size: refuse it before buffering the rest
    const max = client.broker.maximumPacketSize;
    const pending = parser.packet;
    if (max > 0 && pending && pending.length > 0 && wireSize(pending.length) > max)
      client.rejectPacketTooLarge(wireSize(pending.length));
  };

  // aedes passes `_nextBatch` to its handlers as each packet's `done`
  const done = (err?: Error) => {
    if (err) {
      client.emit("error", err); // as aedes's loop: the connection goes
      return;
    }
    client._parsingBatch = Math.max(0, client._parsingBatch - 1);
    takeOff();
    read();
  };

  conn.removeListener("readable", client._nextBatch);
  client._parsingBatch = 0; // aedes starts at 1, for the first 'readable' to take off
  client._nextBatch = done;
  client.resume = () => {
    client._paused = false;
    read();
  };
  conn.on("readable", read);
  return true;
}
