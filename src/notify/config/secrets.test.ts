import { describe, expect, test } from "bun:test";
import { commonOptions, formatConfig, resolveConfig } from "../../core/config/index.ts";
import { serveOptions } from "../../serve/options.ts";
import type { ChannelConfig } from "./schema.ts";
import { MASK, unmaskChannel } from "./secrets.ts";

const toml = `
[notify]
[notify.channels.hook]
type = "webhook"
url = "https://example.com/hook"
secret = "webhook-secret-0123456789"
[notify.channels.team]
type = "slack"
url = "https://hooks.slack.com/services/T0/B0/slack-credential"
[notify.channels.mail]
type = "email"
host = "smtp.example.com"
user = "iot"
password = "smtp-password"
from = "iot@example.com"
to = ["ops@example.com"]
[notify.channels.phone]
type = "ntfy"
topic = "iot"
token = "tk_ntfy-token"
[[notify.routes]]
channels = ["hook", "team", "mail", "phone"]
`;
const specs = [...commonOptions.specs, ...serveOptions.specs];
const fromFile = (text: string) =>
  resolveConfig(specs, new Map([["config", "iot.toml"]]), {}, () => text);

describe("secrets", () => {
  test("--print-config shows the [notify] table with every secret masked", () => {
    const config = fromFile(toml);
    const text = formatConfig(specs, config);
    expect(text).toContain(
      '"hook":{"type":"webhook","url":"https://example.com/hook","secret":"********"}',
    );
    for (const s of ["webhook-secret", "slack-credential", "smtp-password", "tk_ntfy"])
      expect(text).not.toContain(s);
    // and the program itself gets the real values
    const opts = serveOptions.read(config.values);
    expect(opts.notify.channels.hook).toMatchObject({ secret: "webhook-secret-0123456789" });
  });

  test("a bad [notify] table is refused at start, naming the field", () => {
    const config = fromFile(`[notify]\ncollapse_minutes = -1\n`);
    expect(() => serveOptions.read(config.values)).toThrow(/--notify: notify: collapse_minutes/);
  });

  test("a masked secret sent back keeps the stored one; a new value replaces it", () => {
    const before: ChannelConfig = {
      type: "email",
      host: "h",
      port: 587,
      security: "starttls",
      password: "old",
      from: "a@b",
      to: ["c@d"],
    };
    expect(unmaskChannel({ ...before, password: MASK }, before)).toMatchObject({ password: "old" });
    expect(unmaskChannel({ ...before, password: "new" }, before)).toMatchObject({
      password: "new",
    });
    // a new channel cannot borrow a secret by sending the mask
    expect(unmaskChannel({ ...before, password: MASK }, undefined)).not.toHaveProperty("password");
  });
});
