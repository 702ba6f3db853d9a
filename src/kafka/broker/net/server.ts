import type { Logger } from "../../../core/log/index.ts";
import { Connection, type FrameHandler } from "./connection.ts";

export interface TcpServerOptions {
  host: string;
  port: number;
  maxFrameBytes: number;
  handler: FrameHandler;
  log: Logger;
}

export interface TcpServer {
  readonly port: number;
  readonly connections: ReadonlySet<Connection>;
  stop(): void;
}

/** A Bun TCP listener that feeds each socket's bytes to its own `Connection`. */
export function listenTcp(opts: TcpServerOptions): TcpServer {
  const connections = new Set<Connection>();
  let nextId = 1;
  const listener = Bun.listen<{ conn?: Connection }>({
    hostname: opts.host,
    port: opts.port,
    socket: {
      open(socket) {
        socket.setNoDelay(true);
        const conn = new Connection(nextId++, socket, opts.handler, opts.maxFrameBytes, opts.log);
        socket.data = { conn };
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
        connections.delete(conn);
        opts.log.debug("connection closed", { conn: conn.id });
      },
      error(socket, err) {
        opts.log.warn("socket error", { conn: socket.data.conn?.id, err });
      },
    },
  });
  return {
    port: listener.port,
    connections,
    stop() {
      listener.stop(true);
      for (const c of connections) c.onClose();
      connections.clear();
    },
  };
}
