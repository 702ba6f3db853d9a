/**
 * Rooms: at start one rule per room (a refusal stops the start) (POST /office_rule: window max temperature over 30 °C,
 * mean humidity outside 15..85 %), then each room posts /office_status every interval, with an
 * excursion now and then that trips its rule.
 */
import { every } from "./clock.ts";
import { inExcursion, roomRule, stepClimate, type Climate } from "./climate.ts";
import type { Part, SimContext } from "./context.ts";

export async function startRooms(ctx: SimContext): Promise<Part> {
  const { o, http, counters } = ctx;
  const rng = ctx.rng.fork("rooms");
  const rooms = Array.from({ length: o.rooms }, (_, i) => ({
    no: i + 1,
    climate: { temperature: 21 + rng.next() * 3, humidity: 40 + rng.next() * 10 } as Climate,
  }));
  for (const room of rooms) {
    const res = await http.post("/office_rule", {
      room_no: room.no,
      value: {
        schedule_id: roomRule.scheduleId,
        order: "insert",
        condition: { temperature: roomRule.temperature, humidity: roomRule.humidity },
      },
    });
    if (!res.ok) {
      // without its rules the rooms demo shows nothing: a refusal here stops the start
      const hint = res.status === 401 ? " (protected mode: give --http-token)" : "";
      throw new Error(`POST ${o.http}/office_rule: ${res.status || ""} ${res.text}${hint}`.trim());
    }
    counters.add("rules");
  }
  const ticker = every(o.intervalMs, async (tick) => {
    await Promise.all(
      rooms.map(async (room) => {
        room.climate = stepClimate(room.climate, rng, inExcursion(room.no, tick));
        const res = await http.post("/office_status", { room_no: room.no, status: room.climate });
        if (res.ok) counters.add("room");
        else ctx.fail("room", `POST /office_status: ${res.status} ${res.text}`);
      }),
    );
  });
  return { stop: () => ticker.stop() };
}
