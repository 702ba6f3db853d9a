import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HttpReceiver, SmtpReceiver } from "../../../test/support/notify-receivers.ts";
import { freePort } from "../../../test/support/net.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { makeTestCerts, type TestCerts } from "../../../test/support/tls.ts";
import { parseNotifyConfig } from "../config/schema.ts";
import { buildChannel, type Notice } from "./index.ts";
import { verify } from "./signature.ts";

const notice: Notice = {
  eventId: "42",
  alertId: 7,
  event: "raised",
  kind: "bin-full",
  subject: "bin 3",
  message: "bin 3 is FULL (2026-12-02 10:00:00)",
  severity: "warning",
  at: Date.UTC(2026, 11, 2, 10),
  times: 57,
  windowMinutes: 60,
};
const secret = "a-shared-secret-of-some-length";
const timeout = () => AbortSignal.timeout(5000);
const channel = (c: unknown) =>
  buildChannel("c", parseNotifyConfig({ channels: { c } }).channels.c!);

let http: HttpReceiver;
let dir: string;
let certs: TestCerts;
beforeAll(async () => {
  http = await HttpReceiver.start();
  dir = mkdtempSync(join(tmpdir(), "iot-notify-"));
  certs = await makeTestCerts(dir);
});
afterAll(() => {
  http.down();
  rmSync(dir, { recursive: true, force: true });
});

describe("webhook", () => {
  test("posts the notice as JSON, signed with the shared secret; a receiver can verify it", async () => {
    await channel({ type: "webhook", url: http.url("/hook"), secret }).send(notice, timeout());
    const [got] = http.on("/hook");
    const body = JSON.parse(got!.body);
    expect(body).toMatchObject({
      id: "42",
      alert_id: 7,
      event: "raised",
      kind: "bin-full",
      subject: "bin 3",
      severity: "warning",
      text: "bin 3 is FULL (2026-12-02 10:00:00), 57 times in the last hour",
      at: "2026-12-02T10:00:00.000Z",
    });
    expect(got!.headers["x-iot-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    const headers = {
      signature: got!.headers["x-iot-signature"]!,
      timestamp: got!.headers["x-iot-timestamp"]!,
    };
    const nowS = Math.floor(Date.now() / 1000);
    expect(verify(got!.body, headers, secret, nowS)).toBeNull();
    // what the scheme refuses: another secret, a changed body, a replay much later
    expect(verify(got!.body, headers, secret + "x", nowS)).toBe("bad signature");
    expect(verify(got!.body.replace("bin 3", "bin 4"), headers, secret, nowS)).toBe(
      "bad signature",
    );
    expect(verify(got!.body, headers, secret, nowS + 301)).toMatch(/too old/);
    expect(verify(got!.body, { ...headers, timestamp: String(nowS + 1) }, secret, nowS)).toMatch(
      /does not match/,
    );
  });

  test("a refusal's reason names the status and host; it fails the send", async () => {
    http.status = 503;
    try {
      const send = channel({ type: "webhook", url: http.url("/hook"), secret }).send(
        notice,
        timeout(),
      );
      await expect(send).rejects.toThrow(`HTTP 503 from 127.0.0.1:${http.port}: ok`);
    } finally {
      http.status = 200;
    }
  });
});

describe("ntfy", () => {
  test("publishes the text to <server>/<topic> with Title, Priority and Tags", async () => {
    await channel({ type: "ntfy", server: http.url(""), topic: "iot-alerts", token: "tk_1" }).send(
      notice,
      timeout(),
    );
    const [got] = http.on("/iot-alerts");
    expect(got!.body).toBe("bin 3 is FULL (2026-12-02 10:00:00), 57 times in the last hour");
    expect(got!.headers.title).toBe("[WARNING] bin-full: bin 3");
    expect(got!.headers.priority).toBe("4");
    expect(got!.headers.tags).toBe("warning,bin-full,warning");
    expect(got!.headers.authorization).toBe("Bearer tk_1");
  });
});

describe("slack", () => {
  test("posts {text} (Mattermost; Discord at …/slack)", async () => {
    await channel({ type: "slack", url: http.url("/services/T0/B0/xyz/slack") }).send(
      { ...notice, event: "cleared", times: 1 },
      timeout(),
    );
    const [got] = http.on("/services/T0/B0/xyz/slack");
    expect(JSON.parse(got!.body)).toEqual({
      text: "*[cleared] bin-full: bin 3*\ncleared: bin 3 is FULL (2026-12-02 10:00:00)",
    });
  });

  test("a failure's reason does not show the URL (it is the credential)", async () => {
    const port = await freePort(); // nobody listens there
    const down = buildChannel(
      "s",
      parseNotifyConfig({
        channels: { s: { type: "slack", url: `http://127.0.0.1:${port}/services/SECRET` } },
      }).channels.s!,
    );
    const err = await down.send(notice, timeout()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain("SECRET");
  });
});

describe("email", () => {
  test("over STARTTLS with auth: a real SMTP server takes the mail", async () => {
    const smtp = await SmtpReceiver.start("ops", "pa55word", certs);
    try {
      const mail = channel({
        type: "email",
        host: "127.0.0.1",
        port: smtp.port,
        security: "starttls",
        user: "ops",
        password: "pa55word",
        ca_file: certs.caPath,
        from: "iot@example.com",
        to: ["ops@example.com"],
      });
      await mail.send(notice, timeout());
      await mail.close?.();
      await waitFor(() => smtp.mails.length > 0, 10_000, "the mail");
      expect(smtp.mails).toHaveLength(1);
      const [m] = smtp.mails;
      expect(m!.tls).toBe(true);
      expect(m!.from).toBe("iot@example.com");
      expect(m!.to).toEqual(["ops@example.com"]);
      expect(m!.data).toContain("Subject: [WARNING] bin-full: bin 3");
      expect(m!.data).toContain("57 times in the last hour");
    } finally {
      await smtp.stop();
    }
  });

  test("a wrong password is refused, and the reason does not repeat it", async () => {
    const smtp = await SmtpReceiver.start("ops", "pa55word");
    try {
      const mail = channel({
        type: "email",
        host: "127.0.0.1",
        port: smtp.port,
        security: "none",
        user: "ops",
        password: "wrong-pa55",
        from: "iot@example.com",
        to: ["ops@example.com"],
      });
      const err = (await mail.send(notice, timeout()).catch((e: Error) => e)) as Error;
      await mail.close?.();
      expect(err.message).toBe("SMTP 127.0.0.1: authentication refused");
      expect(smtp.mails).toHaveLength(0);
    } finally {
      await smtp.stop();
    }
  });
});
