/**
 * Alert notifications end to end, with real receivers: an HTTP server taking the webhook (its
 * signature verified), ntfy and Slack bodies, aiosmtpd taking the mail, an MQTT subscriber on
 * `iot/alerts`. Then the outage: the HTTP receiver down for ~12 s, `iot serve` killed with -9 in
 * the middle of it and started again on the same data dir: every alert reaches the receiver once
 * it is back, and none twice within the collapse window.
 */
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { verify } from "../../src/notify/channels/signature.ts";
import { freePort } from "../support/net.ts";
import { HttpReceiver, SmtpReceiver, type Received } from "../support/notify-receivers.ts";
import { run } from "../support/run.ts";
import { startServeProcess, type ServeProcess } from "../support/serve-process.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-notify-");
afterAll(() => dirs.cleanup());

const secret = "e2e-webhook-secret-0123456789";

function config(http: HttpReceiver, smtpPort: number): string {
  return `
[notify]
collapse_minutes = 60
attempts = 60
retry_base_ms = 200
retry_max_ms = 1500
timeout_ms = 2000

[notify.channels.hook]
type = "webhook"
url = "${http.url("/hook")}"
secret = "${secret}"

[notify.channels.phone]
type = "ntfy"
server = "${http.url("")}"
topic = "iot-alerts"

[notify.channels.team]
type = "slack"
url = "${http.url("/services/T0/B0/slack-secret-path")}"

[notify.channels.mail]
type = "email"
host = "127.0.0.1"
port = ${smtpPort}
security = "none"
user = "ops"
password = "smtp-pa55word"
from = "iot@example.com"
to = ["ops@example.com"]

[notify.channels.bus]
type = "mqtt"

[[notify.routes]]
channels = ["hook", "phone", "team", "mail", "bus"]
kinds = ["bin-full"]
cleared = false
`;
}

const bodyOf = (r: Received) =>
  JSON.parse(r.body) as { subject: string; id: string; event: string };

describe("notifications", () => {
  test("every channel gets the alert; through an outage and a kill -9 each arrives once", async () => {
    const dataDir = dirs.make();
    const http = await HttpReceiver.start();
    const smtp = await SmtpReceiver.start("ops", "smtp-pa55word");
    const configPath = join(dirs.make(), "iot.toml");
    writeFileSync(configPath, config(http, smtp.port));
    const ports = { http: await freePort(), kafka: await freePort(), mqtt: await freePort() };
    const stderrFile = join(dirs.make(), "serve.log");
    const start = () =>
      startServeProcess({
        dataDir,
        ports,
        args: ["--config", configPath, "--log-level", "info"],
        stderrFile,
      });
    let serve: ServeProcess = await start();
    const mqttGot: string[] = [];
    const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${ports.mqtt}`, { reconnectPeriod: 300 });
    try {
      await sub.subscribeAsync("iot/alerts", { qos: 1 });
      sub.on("message", (_t, payload) => mqttGot.push(payload.toString()));
      const bin = (level: string, n: number) =>
        run([
          "mosquitto_pub",
          "-h",
          "127.0.0.1",
          "-p",
          String(ports.mqtt),
          "-t",
          "hello/world",
          "-m",
          `${level} ${n} 2026-12-02 10:00:00`,
        ]);
      const hooks = (subject: string) =>
        http.on("/hook").filter((r) => bodyOf(r).subject === subject);

      // 1. every channel, with real receivers
      await bin("FULL", 3);
      await waitFor(
        () =>
          hooks("bin 3").length > 0 &&
          http.on("/iot-alerts").length > 0 &&
          http.on("/services/T0/B0/slack-secret-path").length > 0 &&
          smtp.mails.length > 0 &&
          mqttGot.length > 0,
        30_000,
        "bin 3 on every channel",
      );
      const [hook] = hooks("bin 3");
      const sig = {
        signature: hook!.headers["x-iot-signature"]!,
        timestamp: hook!.headers["x-iot-timestamp"]!,
      };
      expect(verify(hook!.body, sig, secret, Math.floor(Date.now() / 1000))).toBeNull();
      expect(bodyOf(hook!)).toMatchObject({ subject: "bin 3", event: "raised" });
      expect(http.on("/iot-alerts")[0]!.body).toContain("bin 3 is FULL");
      expect(http.on("/iot-alerts")[0]!.headers.title).toBe("[WARNING] bin-full: bin 3");
      expect(JSON.parse(http.on("/services/T0/B0/slack-secret-path")[0]!.body).text).toContain(
        "bin 3 is FULL",
      );
      expect(smtp.mails[0]!.data).toContain("Subject: [WARNING] bin-full: bin 3");
      expect(JSON.parse(mqttGot[0]!)).toMatchObject({
        kind: "bin-full",
        subject: "bin 3",
        event: "raised",
      });

      // 2. the outage: receiver down, alerts raised, the server killed -9 while they retry
      http.down();
      const downAt = Date.now();
      await bin("40", 3); // cleared…
      await bin("FULL", 3); // …and raised again within the collapse window: not sent again
      await bin("FULL", 4);
      await bin("FULL", 5);
      const dbPath = join(dataDir, "iot.db");
      const failedAttempts = () => {
        const db = new Database(dbPath, { readonly: true });
        try {
          return db
            .query<{ n: number }, []>(
              "SELECT count(DISTINCT alert_key) AS n FROM deliveries WHERE channel = 'hook' AND status = 'failed'",
            )
            .get()!.n;
        } finally {
          db.close();
        }
      };
      await waitFor(() => failedAttempts() >= 2, 20_000, "bins 4 and 5 failing on the webhook");
      serve.proc.kill("SIGKILL");
      await serve.proc.exited;
      serve = await start();
      // down for 12 s in all, then back
      await Bun.sleep(Math.max(0, 12_000 - (Date.now() - downAt)));
      expect(hooks("bin 4")).toHaveLength(0);
      http.up();
      await waitFor(
        () => hooks("bin 4").length > 0 && hooks("bin 5").length > 0,
        40_000,
        "bins 4 and 5 after the outage",
      );
      // late retries or a redelivered record would show up now
      await Bun.sleep(3000);
      expect(hooks("bin 3")).toHaveLength(1);
      expect(hooks("bin 4")).toHaveLength(1);
      expect(hooks("bin 5")).toHaveLength(1);
      expect(http.on("/iot-alerts").filter((r) => r.body.includes("bin 4"))).toHaveLength(1);

      // the repeat is stored as collapsed; no secret is in the server's log
      const db = new Database(dbPath, { readonly: true });
      const statuses = db
        .query<{ status: string }, []>(
          "SELECT status FROM deliveries WHERE channel = 'hook' AND alert_key = 'bin-full bin 3' AND status != 'failed' ORDER BY id",
        )
        .all()
        .map((r) => r.status);
      db.close();
      expect(statuses).toEqual(["sent", "collapsed"]);
      const log = await Bun.file(stderrFile).text();
      for (const s of [secret, "smtp-pa55word", "slack-secret-path"]) expect(log).not.toContain(s);
    } finally {
      await sub.endAsync();
      serve.proc.kill("SIGKILL");
      await serve.proc.exited;
      http.down();
      await smtp.stop();
    }
  }, 120_000);
});
