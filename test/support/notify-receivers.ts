/**
 * Real receivers for notification tests: an HTTP server that keeps every request (webhook, ntfy,
 * Slack bodies) and can be taken down and brought back on the same port, and an SMTP server
 * (aiosmtpd) that keeps every mail.
 */
import { join } from "node:path";
import { freePort } from "./net.ts";
import { debianPython } from "./run.ts";
import { waitFor } from "./wait.ts";

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  /** what the receiver answered */
  status: number;
}

export class HttpReceiver {
  readonly got: Received[] = [];
  private server: ReturnType<typeof Bun.serve> | null = null;
  /** answer with this status instead of 200 (a receiver that refuses) */
  status = 200;

  private constructor(readonly port: number) {}

  static async start(): Promise<HttpReceiver> {
    const r = new HttpReceiver(await freePort());
    r.up();
    return r;
  }

  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  up() {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: this.port,
      fetch: async (req) => {
        const body = await req.text();
        this.got.push({
          path: new URL(req.url).pathname,
          headers: req.headers.toJSON(),
          body,
          at: Date.now(),
          status: this.status,
        });
        return new Response("ok", { status: this.status });
      },
    });
  }

  /** down: connections are refused until `up()` */
  down() {
    this.server?.stop(true);
    this.server = null;
  }

  /** the requests to this path that were taken (answered 2xx) */
  on(path: string) {
    return this.got.filter((r) => r.path === path && r.status < 300);
  }
}

export interface Mail {
  from: string;
  to: string[];
  data: string;
  tls: boolean;
  auth: unknown;
}

export class SmtpReceiver {
  readonly mails: Mail[] = [];
  private constructor(
    readonly port: number,
    private readonly proc: ReturnType<typeof Bun.spawn>,
  ) {}

  /** `tls`: offer STARTTLS with this certificate and require it before AUTH */
  static async start(
    user: string,
    password: string,
    tls?: { certPath: string; keyPath: string },
  ): Promise<SmtpReceiver> {
    const port = await freePort();
    const args = [String(port), user, password, ...(tls ? [tls.certPath, tls.keyPath] : [])];
    const proc = Bun.spawn([debianPython, join(import.meta.dir, "smtp-receiver.py"), ...args], {
      stdout: "pipe",
      stderr: "inherit",
    });
    const r = new SmtpReceiver(port, proc);
    let ready = false;
    void (async () => {
      let buf = "";
      const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += Buffer.from(value).toString("utf8");
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if ("ready" in line) ready = true;
          else r.mails.push(line as Mail);
        }
      }
    })();
    await waitFor(() => ready, 15_000, "aiosmtpd to listen");
    return r;
  }

  async stop() {
    this.proc.kill("SIGKILL");
    await this.proc.exited;
  }
}
