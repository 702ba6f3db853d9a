import type { Logger } from "../../../core/log/index.ts";
import { MetricsRegistry } from "../../../metrics/index.ts";
import { ConnectionGate, rateLimited } from "../../../limits/index.ts";
import {
  Connection,
  defaultConnectionLimits,
  type ConnectionLimits,
  type ConnectionTimeouts,
  type FrameHandler,
} from "./connection.ts";

export interface TcpServerOptions {
  host: string;
  port: number;
  maxFrameBytes: number;
  handler: FrameHandler;
  log: Logger;
  /** per-connection memory bounds and the shared frame budget (defaults: see connection.ts) */
  limits?: Partial<ConnectionLimits>;
  timeouts?: Partial<ConnectionTimeouts>;
  /** open connections at most (beyond: closed on accept) */
  maxConnections?: number;
  /** not-yet-established connections per remote address */
  maxPendingPerAddress?: number;
  metrics?: MetricsRegistry;
}

export interface TcpServer {
  readonly port: number;
  readonly connections: ReadonlySet<Connection>;
  stop(): void;
}

/** Kafka's connections.max.idle.ms is 10 minutes; a handshake takes milliseconds. */
export const defaultTimeouts: ConnectionTimeouts = {
  handshakeMs: 10_000,
  idleMs: 600_000,
  stallMs: 30_000,
};

/**
 * A Bun TCP listener that feeds each socket's bytes to its own `Connection`, admits at most
 * `maxConnections` (and `maxPendingPerAddress` unauthenticated ones per address), and once a
 * second closes connections past a timeout.
 */
export function listenTcp(opts: TcpServerOptions): TcpServer {
  const connections = new Set<Connection>();
  const limits = { ...defaultConnectionLimits(opts.maxFrameBytes), ...opts.limits };
  const timeouts = { ...defaultTimeouts, ...opts.timeouts };
  const gate = new ConnectionGate({
    listener: "kafka",
    maxConnections: opts.maxConnections ?? 1024,
    maxPendingPerAddress: opts.maxPendingPerAddress ?? 64,
    log: opts.log,
    metrics: opts.metrics ?? new MetricsRegistry(),
  });
  const noteDrop = rateLimited((m, f) => opts.log.warn(m, f));
  const onEstablished = (conn: Connection) => gate.established(conn.remote);
  let nextId = 1;
  const listener = Bun.listen<{ conn?: Connection }>({
    hostname: opts.host,
    port: opts.port,
    socket: {
      open(socket) {
        socket.data = {};
        if (gate.admit(socket.remoteAddress)) return socket.terminate();
        socket.setNoDelay(true);
        const conn = new Connection(
          nextId++,
          socket,
          opts.handler,
          limits,
          opts.log,
          onEstablished,
        );
        socket.data.conn = conn;
        connections.add(conn);
        opts.log.debug("connection opened", { conn: conn.id, remote: conn.remote });
      },
      data(socket, chunk) {
        socket.data.conn?.onData(chunk);
      },
      drain(socket) {
        socket.data.conn?.onDrain();
      },
      close(socket) {
        const conn = socket.data.conn;
        if (!conn) return;
        conn.onClose();
        if (connections.delete(conn)) gate.closed(conn.remote, conn.established);
        opts.log.debug("connection closed", { conn: conn.id });
      },
      error(socket, err) {
        opts.log.warn("socket error", { conn: socket.data.conn?.id, err });
      },
    },
  });
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const conn of connections) {
      const reason = conn.expired(now, timeouts);
      if (!reason) continue;
      gate.drop(reason);
      // idle clients are normal (they reconnect); a stalled frame or a full budget is news
      if (reason === "idle") opts.log.debug("closing idle connection", { conn: conn.id });
      else noteDrop("closing connection", { conn: conn.id, remote: conn.remote, reason });
      conn.terminate();
      if (connections.delete(conn)) gate.closed(conn.remote, conn.established);
    }
  }, 1000);
  sweep.unref();
  return {
    port: listener.port,
    connections,
    stop() {
      clearInterval(sweep);
      listener.stop(true);
      for (const c of connections) c.onClose();
      connections.clear();
    },
  };
}
