/**
 * A pool of mqtt.js publishers (MQTT 5, QoS 1), one device each, every message unique: payload
 * `{"msg_id","ts","temperature"}` on `iot/<device>/telemetry` plus the MQTT 5 user property
 * `msg_id`. It records what was offered and what was PUBACKed. When the broker goes away the
 * clients reconnect on their own and mqtt.js re-sends every un-acked QoS 1 message from its
 * outgoing store (DUP set); a message counts as acknowledged once its PUBACK arrives.
 */
import mqtt, { type MqttClient } from "mqtt";

export interface Message {
  msgId: string;
  deviceId: string;
  ts: number;
}

export interface PoolOptions {
  url: string;
  /** device ids are `<prefix>-<n>` */
  prefix: string;
  publishers: number;
  /** messages per second per publisher */
  rate: number;
  /** un-acked messages a publisher may have in flight */
  window: number;
}

export class PublisherPool {
  readonly sent = new Map<string, Message>();
  readonly acked = new Map<string, Message>();
  private clients: MqttClient[] = [];
  private loops: Promise<void>[] = [];
  private running = false;
  private inflight = 0;
  errors = 0;
  reconnects = 0;

  constructor(private readonly opts: PoolOptions) {}

  get deviceIds(): string[] {
    return Array.from({ length: this.opts.publishers }, (_, i) => `${this.opts.prefix}-${i}`);
  }

  async start(): Promise<void> {
    this.clients = await Promise.all(
      this.deviceIds.map((id) =>
        mqtt.connectAsync(this.opts.url, {
          clientId: id,
          protocolVersion: 5,
          reconnectPeriod: 250,
          connectTimeout: 5_000,
          keepalive: 10,
        }),
      ),
    );
    for (const c of this.clients) {
      c.on("error", () => this.errors++);
      c.on("reconnect", () => this.reconnects++);
    }
    this.running = true;
    this.loops = this.clients.map((c, i) => this.loop(c, this.deviceIds[i]!));
  }

  private async loop(client: MqttClient, deviceId: string): Promise<void> {
    let seq = 0;
    let lastTs = 0;
    let inflight = 0;
    let due = Date.now();
    while (this.running) {
      // paced at `rate`; after a stall it does not burst for more than a second's worth
      if (Date.now() < due) {
        await Bun.sleep(Math.max(1, due - Date.now()));
        continue;
      }
      if (inflight >= this.opts.window) {
        await Bun.sleep(5);
        continue;
      }
      due = Math.max(due + 1000 / this.opts.rate, Date.now() - 1000);
      const ts = Math.max(Date.now(), lastTs + 1);
      lastTs = ts;
      const msg: Message = { msgId: `${deviceId}-${seq++}`, deviceId, ts };
      const payload = JSON.stringify({ msg_id: msg.msgId, ts, temperature: 20 + (seq % 100) / 10 });
      this.sent.set(msg.msgId, msg);
      inflight++;
      this.inflight++;
      client.publish(
        `iot/${deviceId}/telemetry`,
        payload,
        { qos: 1, properties: { userProperties: { msg_id: msg.msgId } } },
        (err) => {
          inflight--;
          this.inflight--;
          if (!err) this.acked.set(msg.msgId, msg);
        },
      );
    }
  }

  /** Stops offering new messages; waits up to `timeoutMs` for the in-flight ones' PUBACKs. */
  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    const deadline = Date.now() + timeoutMs;
    while (this.inflight > 0 && Date.now() < deadline) await Bun.sleep(50);
  }

  /** msg_ids offered but not (yet) PUBACKed */
  unacked(): Set<string> {
    return new Set([...this.sent.keys()].filter((id) => !this.acked.has(id)));
  }

  get pending(): number {
    return this.inflight;
  }

  async close(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients.map((c) => c.endAsync(true).catch(() => {})));
  }
}
