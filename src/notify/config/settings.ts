/**
 * The notification settings in force: the config file's `[notify]` table, until the dashboard
 * saves its own (stored, so every process sharing the store and every restart sees them).
 * Channels are rebuilt when the settings change. The saved settings are read from the SQLite file
 * at once, or from the store engine (PostgreSQL): there `current()` answers the copy last read
 * and reads again behind it, and `refresh()` waits for the read (the settings page does).
 */
import type { Db } from "../../store/index.ts";
import type { StoreEngine } from "../../store/engine/index.ts";
import { notifyRows } from "../../store/notify.ts";
import { buildChannel, type Channel, type MqttPublish } from "../channels/index.ts";
import { parseNotifyConfig, type NotifyConfig } from "./schema.ts";

export interface Settings {
  config: NotifyConfig;
  channels: Map<string, Channel>;
  source: "config file" | "dashboard";
}

/** Where the dashboard's settings are saved. */
export interface SavedSettings {
  saved(): string | undefined | Promise<string | undefined>;
  save(text: string, now: number): void | Promise<void>;
}

/** The settings row in the store engine (PostgreSQL with --database-url). */
export const savedInEngine = (engine: StoreEngine): SavedSettings => ({
  saved: () => engine.read((q) => q.api.savedNotifySettings()),
  save: (text, now) => engine.transaction((tx) => tx.apiWrites.saveNotifySettings(text, now)),
});

export class NotifySettings {
  private readonly rows: SavedSettings;
  private savedText: string | undefined = undefined;
  private settings: Settings;
  private reading: Promise<Settings> | undefined;

  constructor(
    db: Db | SavedSettings,
    private readonly fromFile: NotifyConfig,
    private readonly mqtt?: MqttPublish,
    private readonly now: () => number = Date.now,
  ) {
    if ("saved" in db) this.rows = db;
    else {
      const rows = notifyRows(db);
      this.rows = { saved: () => rows.savedSettings(), save: (t, n) => rows.saveSettings(t, n) };
    }
    this.settings = this.build(fromFile, "config file");
  }

  /** The settings now (one small read: another process may have saved new ones). */
  current(): Settings {
    const saved = this.rows.saved();
    if (saved instanceof Promise) {
      void this.follow(saved).catch(() => undefined); // the copy in force stays meanwhile
      return this.settings;
    }
    return this.apply(saved);
  }

  /** The settings after reading the saved ones again. */
  async refresh(): Promise<Settings> {
    const saved = this.rows.saved();
    return saved instanceof Promise ? this.follow(saved) : this.apply(saved);
  }

  private follow(saved: Promise<string | undefined>): Promise<Settings> {
    this.reading ??= saved.then((s) => this.apply(s)).finally(() => (this.reading = undefined));
    return this.reading;
  }

  private apply(saved: string | undefined): Settings {
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
  async save(config: NotifyConfig): Promise<void> {
    const text = JSON.stringify(config);
    await this.rows.save(text, this.now());
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
