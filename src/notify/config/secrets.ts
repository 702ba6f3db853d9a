/**
 * Which fields hold secrets, and their masked form: `--print-config`, logs and the settings page
 * show `********` (the page keeps a stored secret when its field comes back masked).
 */
import type { ChannelConfig, NotifyConfig } from "./schema.ts";

export const MASK = "********";

/** field names that are secrets, by channel type */
export const secretFields: Record<ChannelConfig["type"], readonly string[]> = {
  webhook: ["secret"],
  ntfy: ["token"],
  slack: ["url"],
  email: ["password"],
  mqtt: [],
};

export function maskChannel(c: ChannelConfig): ChannelConfig {
  const out: Record<string, unknown> = { ...c };
  for (const f of secretFields[c.type]) if (out[f]) out[f] = MASK;
  return out as ChannelConfig;
}

export function maskNotifyConfig(c: NotifyConfig): NotifyConfig {
  return {
    ...c,
    channels: Object.fromEntries(
      Object.entries(c.channels).map(([name, ch]) => [name, maskChannel(ch)]),
    ),
  };
}

/** A channel as edited: a secret left masked keeps the value it had. */
export function unmaskChannel(edited: ChannelConfig, before: ChannelConfig | undefined) {
  const out: Record<string, unknown> = { ...edited };
  for (const f of secretFields[edited.type]) {
    if (out[f] !== MASK) continue;
    const kept = before?.type === edited.type ? (before as Record<string, unknown>)[f] : undefined;
    if (kept === undefined) delete out[f];
    else out[f] = kept;
  }
  return out as ChannelConfig;
}
