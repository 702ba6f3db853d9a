/**
 * Coffee devices: each its own MQTT client, moving one step along its path per interval and
 * publishing `{"id","x","y","status":"Active"}` on `coffee`. Each subscribes to
 * `iot/<id>/command` (what POST /status/<id> publishes, retained) and obeys: `Inactive` → one
 * final message with status Inactive, then silence; `Active` → it moves again.
 */
import type { MqttClient } from "mqtt";
import { every } from "./clock.ts";
import type { Part, SimContext } from "./context.ts";
import { closeMqtt, connectMqtt } from "./mqtt.ts";
import { makePath, type Point } from "./path.ts";
import type { Rng } from "./prng.ts";

export function coffeeIds(count: number, rng: Rng): string[] {
  const ids = new Set<string>();
  while (ids.size < count) {
    const hex = rng.int(0, 0xfffff).toString(16).toUpperCase().padStart(5, "0");
    ids.add(`${hex}-${String(rng.int(0, 999)).padStart(3, "0")}`);
  }
  return [...ids];
}

/** `Active` / `Inactive`, plain (as the server sends it) or as `{"status": …}`. */
export function parseCommand(payload: Buffer): "Active" | "Inactive" | null {
  let text = payload.toString("utf8").trim();
  if (text.startsWith("{")) {
    try {
      text = String((JSON.parse(text) as { status?: unknown }).status);
    } catch {
      return null;
    }
  }
  return text === "Active" || text === "Inactive" ? text : null;
}

interface Device {
  id: string;
  path: Point[];
  at: number;
  active: boolean;
  client: MqttClient;
}

export async function startCoffee(ctx: SimContext): Promise<Part> {
  const { o, counters } = ctx;
  const rng = ctx.rng.fork("coffee");
  const devices: Device[] = [];
  let refusedOnce = false;
  const send = async (d: Device, status: "Active" | "Inactive") => {
    const p = d.path[d.at]!;
    const msg = JSON.stringify({ id: d.id, x: p.x, y: p.y, status });
    try {
      await ctx.seed.send(d.client, "coffee", d.id, msg);
      counters.add(status === "Active" ? "coffee" : "coffeeStopped");
    } catch (e) {
      ctx.fail("coffee", (e as Error).message);
    }
  };
  try {
    for (const id of coffeeIds(o.coffee, rng)) {
      const client = await connectMqtt(o, `sim-coffee-${id}`);
      const d: Device = { id, path: makePath(rng.fork(id)), at: 0, active: true, client };
      devices.push(d);
      client.on("message", (_topic, payload) => {
        const cmd = parseCommand(payload);
        if (cmd === null) return ctx.fail("command", `iot/${id}/command: not Active/Inactive`);
        counters.add("commands");
        if (cmd === "Inactive" && d.active) {
          d.active = false;
          void send(d, "Inactive");
        } else if (cmd === "Active") d.active = true;
      });
      if (!(await subscribeCommands(ctx, client, id)) && !refusedOnce) {
        refusedOnce = true;
        ctx.log.info("coffee devices get no commands: the device token reads only its own topics");
      }
    }
  } catch (e) {
    await Promise.all(devices.map((d) => closeMqtt(d.client)));
    throw e;
  }
  const ticker = every(o.intervalMs, async () => {
    await Promise.all(
      devices
        .filter((d) => d.active)
        .map((d) => {
          d.at = (d.at + 1) % d.path.length;
          return send(d, "Active");
        }),
    );
  });
  return {
    async stop() {
      await ticker.stop();
      await Promise.all(devices.map((d) => closeMqtt(d.client)));
    },
  };
}

/**
 * A coffee device's commands, `iot/<id>/command`; false when the broker refuses them. In
 * protected mode the simulator logs in with one device token, which may read only its own
 * device's topics (SUBACK "not authorized"), so the virtual coffee devices go without commands.
 */
async function subscribeCommands(
  ctx: SimContext,
  client: MqttClient,
  id: string,
): Promise<boolean> {
  try {
    await client.subscribeAsync(`iot/${id}/command`, { qos: 1 });
    return true;
  } catch (e) {
    // mqtt.js keeps the SUBACK on the error
    const code = (e as { packet?: { granted?: number[] } }).packet?.granted?.[0];
    if (ctx.o.device && (code === 0x80 || code === 0x87)) return false;
    throw e;
  }
}
