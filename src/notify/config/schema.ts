/**
 * The `[notify]` table of the config file (or the JSON the settings page saves): channels by
 * name, routes from alerts to channels, and how deliveries are retried and collapsed. Keys are
 * snake_case as TOML writes them.
 */
import { z } from "zod";

const url = z.url({ protocol: /^https?$/ });
/** `HH:MM-HH:MM` in the server's local time; may wrap past midnight (`22:00-07:00`) */
const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
export const quietHours = z.string().refine((s) => {
  const [from, to, extra] = s.split("-");
  return extra === undefined && hhmm.test(from ?? "") && hhmm.test(to ?? "") && from !== to;
}, "quiet hours are HH:MM-HH:MM, e.g. 22:00-07:00");

export const webhookChannel = z.strictObject({
  type: z.literal("webhook"),
  url,
  /** signs each body (X-Iot-Signature); a secret */
  secret: z.string().min(16, "a webhook secret has at least 16 characters"),
});
export const ntfyChannel = z.strictObject({
  type: z.literal("ntfy"),
  server: url.default("https://ntfy.sh"),
  topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, "an ntfy topic is 1-64 of A-Z a-z 0-9 _ -"),
  /** access token (Authorization: Bearer); a secret */
  token: z.string().optional(),
});
export const slackChannel = z.strictObject({
  type: z.literal("slack"),
  /** the incoming-webhook URL holds its own credential: a secret */
  url,
});
export const emailChannel = z.strictObject({
  type: z.literal("email"),
  host: z.string().min(1),
  port: z.int().min(1).max(65535).default(587),
  /** starttls: upgrade on 587 (required); tls: TLS from the start (465); none: plain */
  security: z.enum(["starttls", "tls", "none"]).default("starttls"),
  user: z.string().optional(),
  /** a secret */
  password: z.string().optional(),
  /** a PEM file of the CA that signed the server's certificate (a private CA); default: the system's */
  ca_file: z.string().optional(),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1),
});
export const mqttChannel = z.strictObject({
  type: z.literal("mqtt"),
  topic: z.string().default("iot/alerts"),
});

export const channelConfig = z.discriminatedUnion("type", [
  webhookChannel,
  ntfyChannel,
  slackChannel,
  emailChannel,
  mqttChannel,
]);

export const routeConfig = z.strictObject({
  channels: z.array(z.string()).min(1),
  /** none or empty: every one */
  kinds: z.array(z.string()).optional(),
  severities: z.array(z.enum(["info", "warning", "critical"])).optional(),
  /** the alert's subject: `room 1`, `bin 3`, a person's or a device's name */
  subjects: z.array(z.string()).optional(),
  /** also tell when the alert is cleared */
  cleared: z.boolean().default(false),
  /** nothing but critical alerts is sent in these hours (kept as `quiet`) */
  quiet_hours: quietHours.optional(),
});

export const notifyConfig = z
  .strictObject({
    channels: z.record(z.string().regex(/^[-_a-z0-9]{1,40}$/), channelConfig).default({}),
    routes: z.array(routeConfig).default([]),
    /** repeats of one alert (kind + subject) within this many minutes are told once */
    collapse_minutes: z
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(60),
    /** attempts per delivery before it is dead-lettered */
    attempts: z.int().min(1).max(100).default(10),
    /** first wait between attempts; doubles up to retry_max_ms */
    retry_base_ms: z.int().min(10).max(600_000).default(1000),
    retry_max_ms: z.int().min(10).max(3_600_000).default(300_000),
    /** one attempt's time limit */
    timeout_ms: z.int().min(100).max(120_000).default(10_000),
  })
  .superRefine((c, ctx) => {
    c.routes.forEach((r, i) => {
      for (const name of r.channels) {
        if (!(name in c.channels))
          ctx.addIssue({
            code: "custom",
            path: ["routes", i, "channels"],
            message: `no channel named '${name}'`,
          });
      }
    });
  });

export type NotifyConfig = z.infer<typeof notifyConfig>;
export type ChannelConfig = z.infer<typeof channelConfig>;
export type RouteConfig = z.infer<typeof routeConfig>;

export const emptyNotifyConfig: NotifyConfig = notifyConfig.parse({});

/** Checks a config; throws an Error naming the first bad field. */
export function parseNotifyConfig(raw: unknown): NotifyConfig {
  const r = notifyConfig.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.join(".") + ": " : "";
  throw new Error(`notify: ${where}${issue.message}`);
}
