/** E-mail over SMTP with nodemailer: STARTTLS (587), TLS (465) or plain, with or without auth. */
import { readFileSync } from "node:fs";
import type { z } from "zod";
import type { emailChannel } from "../config/schema.ts";
import { noticeText, noticeTitle, type Channel } from "./notice.ts";

export function email(name: string, c: z.infer<typeof emailChannel>): Channel {
  let transport: import("nodemailer").Transporter | undefined;
  const open = async () => {
    const nodemailer = await import("nodemailer");
    return nodemailer.createTransport({
      host: c.host,
      port: c.port,
      secure: c.security === "tls",
      requireTLS: c.security === "starttls",
      ignoreTLS: c.security === "none",
      auth: c.user ? { user: c.user, pass: c.password ?? "" } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // nodemailer's own logger stays off: it would print the AUTH exchange
      logger: false,
      tls: c.ca_file ? { ca: readFileSync(c.ca_file, "utf8") } : undefined,
    });
  };
  return {
    name,
    type: "email",
    async send(n, signal) {
      transport ??= await open();
      const sending = transport.sendMail({
        from: c.from,
        to: c.to,
        subject: noticeTitle(n),
        text: `${noticeText(n)}\n\nalert ${n.alertId}, ${new Date(n.at).toISOString()}\n`,
        headers: { "X-Iot-Delivery": n.eventId },
      });
      try {
        await Promise.race([
          sending,
          new Promise((_, reject) =>
            signal.addEventListener("abort", () => reject(new Error("SMTP server too slow"))),
          ),
        ]);
      } catch (e) {
        throw new Error(smtpReason(e, c.host));
      }
    },
    close: () => transport?.close(),
  };
}

/** nodemailer's errors, without anything the server echoed of the credentials. */
function smtpReason(e: unknown, host: string): string {
  const err = e as { code?: string; responseCode?: number; message?: string };
  if (err.code === "EAUTH") return `SMTP ${host}: authentication refused`;
  if (err.responseCode) return `SMTP ${host}: ${err.responseCode} ${err.code ?? ""}`.trim();
  if (err.code) return `SMTP ${host}: ${err.code}`;
  return `SMTP ${host}: ${err.message ?? String(e)}`;
}
