/**
 * Drives one listener with fuzz sessions: `connections` sockets at a time, each writing one
 * session's frames pipelined in a single write, reading whatever comes back, and closing when
 * the server does (a bad frame closing its connection is the expected answer) or when the
 * server has been quiet for `idleMs`. Then the next session on a new connection.
 */
import { connect, type Socket } from "node:net";
import { Gen } from "./gen.ts";

export interface BlastStats {
  listener: string;
  seed: number;
  frames: number;
  sessions: number;
  /** sessions the server closed before the fuzzer sent FIN (a frame it refused) */
  closedByServer: number;
  /** sessions without FIN that the fuzzer closed after the server had been quiet */
  gaveUp: number;
  /** sessions the server had not closed 10 s after the fuzzer's FIN */
  hung: number;
  bytesOut: number;
  bytesIn: number;
  /** connections that could not be opened (the listener is gone or refusing) */
  connectErrors: number;
}

export interface BlastOptions {
  listener: string;
  seed: number;
  port: number;
  /** frames to send in all */
  frames: number;
  connections: number;
  /** frames per session (connection) */
  framesPerSession: () => number;
  /** the next session's frames */
  session: (frames: number) => Buffer[];
  /** a stage is answered once the server has been quiet this long (default 150 ms) */
  idleMs?: number;
  deadline: number;
  /** sees every byte the server sends (e.g. to count HTTP status codes) */
  onData?: (chunk: Buffer) => void;
  /** the first frame is a handshake (MQTT CONNECT): send it alone and wait for the answer */
  handshake?: boolean;
  /** share of sessions that send FIN after their frames and wait for the server to close (0.7) */
  fin?: number;
  /** after FIN, a connection the server has not closed within this long is `hung` (10 s) */
  finTimeoutMs?: number;
  /** the last sessions sent, for replaying a crash */
  recent: Buffer[][];
  stop: () => boolean;
}

/** Starts the fuzzer; `stats` fills in as it runs, `done` settles when it has sent its frames. */
export function blast(o: BlastOptions): { stats: BlastStats; done: Promise<BlastStats> } {
  const stats: BlastStats = {
    listener: o.listener,
    seed: o.seed,
    frames: 0,
    sessions: 0,
    closedByServer: 0,
    gaveUp: 0,
    hung: 0,
    bytesOut: 0,
    bytesIn: 0,
    connectErrors: 0,
  };
  let consecutiveErrors = 0;
  const coin = new Gen(o.seed ^ 0x5eed);
  const worker = async () => {
    while (stats.frames < o.frames && Date.now() < o.deadline && !o.stop()) {
      const frames = o.session(
        Math.max(1, Math.min(o.framesPerSession(), o.frames - stats.frames)),
      );
      o.recent.push(frames);
      if (o.recent.length > 16) o.recent.shift();
      stats.frames += frames.length;
      stats.sessions++;
      stats.bytesOut += frames.reduce((n, f) => n + f.length, 0);
      const outcome = await session(o, frames, coin.chance(o.fin ?? 0.7), stats);
      if (outcome === "connect-error") {
        stats.connectErrors++;
        if (++consecutiveErrors > 50)
          throw new Error(`${o.listener}: listener refuses connections`);
        await Bun.sleep(20);
      } else {
        consecutiveErrors = 0;
        if (outcome === "server-closed") stats.closedByServer++;
        else if (outcome === "hung") stats.hung++;
        else if (outcome === "gave-up") stats.gaveUp++;
      }
    }
  };
  const done = Promise.all(Array.from({ length: o.connections }, worker)).then(() => stats);
  return { stats, done };
}

type Outcome = "server-closed" | "after-fin" | "gave-up" | "hung" | "connect-error";

function session(
  o: BlastOptions,
  frames: Buffer[],
  fin: boolean,
  stats: BlastStats,
): Promise<Outcome> {
  const idleMs = o.idleMs ?? 150;
  // In stages, each once the server has answered or been quiet for idleMs: a parser error in
  // the same read could otherwise close the connection before the valid frames ahead of it
  // were handled (aedes does that). With `handshake` the first frame goes alone (MQTT
  // CONNECT), then all but the last, then the last (usually the broken one).
  const stages =
    o.handshake && frames.length > 2
      ? [frames.slice(0, 1), frames.slice(1, -1), frames.slice(-1)]
      : [frames.slice(0, -1), frames.slice(-1)];
  let stage = 0;
  let received = 0;
  return new Promise((resolve) => {
    let connected = false;
    let finSentAt = 0;
    let lastActivity = 0;
    let outcome: Outcome | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const end = (why: Outcome) => {
      outcome ??= why;
      s.destroy();
    };
    /** writes the next stage; false when all were written */
    const sendNext = (): boolean => {
      if (stage >= stages.length || s.destroyed) return false;
      const bytes = Buffer.concat(stages[stage++]!);
      lastActivity = Date.now();
      if (bytes.length) s.write(bytes);
      if (stage === stages.length && fin) {
        s.end(); // the server reads to the end, answers, and closes: its own pace
        finSentAt = Date.now();
      }
      return true;
    };
    // one timer, re-armed by hand (cheaper than a timer per chunk)
    const check = () => {
      const now = Date.now();
      if (finSentAt) {
        // after FIN only the server ends it; a connection still open this long is stuck
        if (now - finSentAt >= (o.finTimeoutMs ?? 10_000)) return end("hung");
        return void (timer = setTimeout(check, 250));
      }
      const quiet = now - lastActivity;
      // the handshake waits for its answer (aedes takes a while under load), up to 2 s
      const wait = o.handshake && stage === 1 && received === 0 ? 2000 : idleMs;
      if (quiet < wait) return void (timer = setTimeout(check, wait - quiet));
      // our own loop may have been busy: read what has arrived before calling it quiet
      setImmediate(() => {
        if (Date.now() - lastActivity < wait) return check();
        if (sendNext()) return check();
        end("gave-up");
      });
    };
    const s: Socket = connect(o.port, "127.0.0.1", () => {
      connected = true;
      lastActivity = Date.now();
      sendNext();
      timer = setTimeout(check, idleMs);
    });
    s.on("data", (chunk: Buffer) => {
      stats.bytesIn += chunk.length;
      received += chunk.length;
      o.onData?.(chunk);
      lastActivity = Date.now();
      sendNext();
    });
    s.on("end", () => end(finSentAt ? "after-fin" : "server-closed"));
    s.on("error", () => {
      if (connected) outcome ??= finSentAt ? "after-fin" : "server-closed";
    });
    s.on("close", () => {
      clearTimeout(timer);
      resolve(
        connected ? (outcome ?? (finSentAt ? "after-fin" : "server-closed")) : "connect-error",
      );
    });
  });
}
