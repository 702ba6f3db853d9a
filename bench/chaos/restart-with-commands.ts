/**
 * restart-with-commands: device commands (`POST /status/<id>`, a retained QoS 1 MQTT
 * `iot/<id>/command`) for N devices, each a real mqtt.js client with a persistent session (half
 * MQTT 3.1.1 clean=false, half MQTT 5 with a session expiry). A third of them go offline before
 * the last rounds of commands; then `iot serve` is killed -9 and restarted on the same data dir.
 * Every device must end with its latest acknowledged command — the ones that were online
 * without it being sent again, the ones that were offline from their session's queue — and a
 * new subscriber must find every device's latest command retained.
 */
import mqtt from "mqtt";
import { join } from "node:path";
import { freePorts, removeDir, sleep, startServe, tempDir, until, type Serve } from "./lib.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";

const name = "restart-with-commands";
type Status = "Active" | "Inactive";

interface Device {
  id: string;
  version: 4 | 5;
  offline: boolean;
  client: mqtt.MqttClient | null;
  /** every command payload received, in order */
  got: Status[];
  /** commands sent while it was offline (what its session must hand over) */
  whileOffline: number;
  latest?: Status;
}

export const restartWithCommands: Scenario = {
  name,
  description:
    "kill -9 of `iot serve` after device commands, restarted on the same data dir: every device (a third offline across the restart, persistent MQTT sessions) gets its latest command, once, and it is still retained",
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const n = quick ? 24 : 120;
    const kills = quick ? 1 : 2;
    const dir = tempDir(name);
    const dataDir = join(dir, "data");
    const ports = await freePorts();
    const url = `mqtt://127.0.0.1:${ports.mqtt}`;
    const run = Date.now().toString(36);
    const devices: Device[] = Array.from({ length: n }, (_, i) => ({
      id: `cmd-${run}-${i}`,
      version: i % 2 ? 5 : 4,
      offline: i % 3 === 0,
      client: null,
      got: [],
      whileOffline: 0,
    }));
    const session = (d: Device): mqtt.IClientOptions => ({
      clientId: d.id,
      clean: false,
      protocolVersion: d.version,
      reconnectPeriod: 500,
      ...(d.version === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}),
    });
    const connect = async (d: Device) => {
      // listening before the CONNACK: a resumed session's queue follows it at once
      const c = mqtt.connect(url, session(d));
      c.on("message", (_t, payload) => d.got.push(payload.toString() as Status));
      d.client = c;
      await new Promise<void>((resolve, reject) => {
        c.once("connect", () => resolve());
        c.once("error", reject);
      });
      return c;
    };
    let sent = 0;
    let acknowledged = 0;
    const send = async (d: Device, status: Status) => {
      sent++;
      if (d.offline) d.whileOffline++;
      const res = await fetch(`http://127.0.0.1:${ports.http}/status/${d.id}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status }),
      }).catch(() => null);
      if (res?.status === 200) {
        acknowledged++;
        d.latest = status;
      }
    };
    const notes = [
      `${n} devices (mqtt.js, persistent sessions: ${n / 2} MQTT 3.1.1 clean=false, ${n / 2} MQTT 5 session expiry 1 h), each subscribed to iot/<id>/command at QoS 1`,
    ];
    let serve: Serve = await startServe({ dataDir, ports, logDir: dir });
    try {
      for (const d of devices) {
        const c = await connect(d);
        await c.subscribeAsync(`iot/${d.id}/command`, { qos: 1 });
      }
      await Promise.all(devices.map((d) => send(d, "Inactive")));
      await until(() => devices.every((d) => d.got.length === 1), 30_000);
      const offline = devices.filter((d) => d.offline);
      for (const d of offline) await d.client!.endAsync();
      for (const d of offline) d.whileOffline = 0;
      const rounds: Array<[Status, (d: Device, i: number) => boolean]> = [
        ["Active", () => true],
        ["Inactive", (_d, i) => i % 2 === 0],
      ];
      for (const [status, who] of rounds)
        await Promise.all(devices.filter(who).map((d) => send(d, status)));
      notes.push(
        `commands: one to every device, then ${offline.length} devices went offline, then two more rounds (every device, then every other one)`,
      );
      // the online devices have theirs live before the kill
      await until(() => devices.every((d) => d.offline || d.got.at(-1) === d.latest), 30_000);
      const before = new Map(devices.map((d) => [d.id, d.got.length]));
      await sleep(500); // their PUBACKs reach the broker

      for (let k = 1; k <= kills; k++) {
        await serve.kill9();
        const down = Date.now();
        serve = await startServe({ dataDir, ports, logDir: dir });
        notes.push(`kill -9 #${k}; ready again after ${((Date.now() - down) / 1000).toFixed(1)} s`);
        log(`${name}: killed -9 and restarted (${k}/${kills})`);
      }
      // the offline devices come back: same client id, persistent session, no SUBSCRIBE
      for (const d of offline) await connect(d);
      // an offline device must hear something new: "Inactive" again is not its old "Inactive"
      const hasLatest = (d: Device) =>
        d.got.at(-1) === d.latest && (!d.offline || d.got.length > before.get(d.id)!);
      const everyone = await until(() => devices.every(hasLatest), 30_000);
      await sleep(2000); // anything sent twice arrives by now

      let lost = 0;
      let duplicated = 0;
      let inOrder = true;
      for (const d of devices) {
        if (!hasLatest(d)) lost++;
        const after = d.got.length - before.get(d.id)!;
        const expected = d.offline ? d.whileOffline : 0;
        duplicated += Math.max(0, after - expected);
        if (d.offline && after >= expected && expected === 2)
          inOrder &&= d.got.slice(-2).join() === "Active,Inactive";
      }
      // a new subscriber finds every device's latest command retained
      const retained = new Map<string, Status>();
      const fresh = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
      fresh.on("message", (t, payload, packet) => {
        if (packet.retain) retained.set(t.split("/")[1]!, payload.toString() as Status);
      });
      await fresh.subscribeAsync("iot/+/command", { qos: 1 });
      await until(() => devices.every((d) => retained.has(d.id)), 10_000);
      await fresh.endAsync();
      const stored = devices.filter((d) => retained.get(d.id) === d.latest).length;

      notes.push(
        everyone
          ? `every device had its latest command after the restart${kills > 1 ? "s" : ""}`
          : `${devices.filter((d) => !hasLatest(d)).length} devices without their latest command 30 s after the restart`,
        `the ${offline.length} offline devices reconnected without subscribing; their sessions handed over ${offline.reduce((s, d) => s + d.got.length - before.get(d.id)!, 0)} of the ${offline.reduce((s, d) => s + d.whileOffline, 0)} commands sent while they were away${inOrder ? "" : ", NOT in order"}`,
        `stored = devices whose latest command a new subscriber found retained after the restart (${stored} of ${n}); lost = devices that did not end with their latest acknowledged command; duplicated = commands delivered again after the restart beyond what the offline sessions had queued`,
      );
      for (const d of devices.filter((d) => !hasLatest(d)).slice(0, 5))
        notes.push(
          `${d.id} (MQTT ${d.version === 5 ? "5" : "3.1.1"}, ${d.offline ? "offline" : "online"}): latest ${d.latest}, received ${d.got.join(", ")} (${before.get(d.id)} before the kill)`,
        );
      for (const d of devices) await d.client?.endAsync(true);
      return {
        name,
        sent,
        acknowledged,
        stored,
        lost,
        duplicated,
        pass: lost === 0 && duplicated === 0 && stored === n && inOrder && acknowledged === sent,
        notes,
        durationMs: Date.now() - t0,
      };
    } finally {
      for (const d of devices) await d.client?.endAsync(true).catch(() => {});
      await serve.stop();
      removeDir(dir);
    }
  },
};
