/**
 * The notification settings in force: the config file's `[notify]` table, until the dashboard
 * saves its own (stored, so every process sharing the store and every restart sees them).
 * Channels are rebuilt when the settings change.
 */
import type { Db } from "../../store/index.ts";
import { notifyRows } from "../../store/notify.ts";
import { buildChannel, type Channel, type MqttPublish } from "../channels/index.ts";
import { parseNotifyConfig, type NotifyConfig } from "./schema.ts";

export interface Settings {
  config: NotifyConfig;
  channels: Map<string, Channel>;
  source: "config file" | "dashboard";
}

export class NotifySettings {
  private readonly rows: ReturnType<typeof notifyRows>;
  private savedText: string | undefined = undefined;
  private settings: Settings;

  constructor(
    db: Db,
    private readonly fromFile: NotifyConfig,
    private readonly mqtt?: MqttPublish,
    private readonly now: () => number = Date.now,
  ) {
    this.rows = notifyRows(db);
    this.settings = this.build(fromFile, "config file");
  }

  /** The settings now (one small read: another process may have saved new ones). */
  current(): Settings {
    const saved = this.rows.savedSettings();
    if (saved !== undefined && saved !== this.savedText) {
      this.savedText = saved;
      try {
        this.replace(parseNotifyConfig(JSON.parse(saved)), "dashboard");
      } catch {
        // checked when saved; a row edited by hand is ignored, the last good settings stay
      }
    }
    return this.settings;
  }

  /** Checked before (parseNotifyConfig); in force at once here, elsewhere on their next read. */
  save(config: NotifyConfig): void {
    const text = JSON.stringify(config);
    this.rows.saveSettings(text, this.now());
    this.savedText = text;
    this.replace(config, "dashboard");
  }

  close(): void {
    for (const c of this.settings.channels.values()) void c.close?.();
  }

  private replace(config: NotifyConfig, source: Settings["source"]) {
    this.close();
    this.settings = this.build(config, source);
  }

  private build(config: NotifyConfig, source: Settings["source"]): Settings {
    const channels = new Map(
      Object.entries(config.channels).map(([name, c]) => [name, buildChannel(name, c, this.mqtt)]),
    );
    return { config, channels, source };
  }
}
