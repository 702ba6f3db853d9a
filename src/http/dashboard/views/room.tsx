/** @jsxImportSource hono/jsx */
import { Room } from "../../../../views/pages/room.tsx";
import { rangeOf } from "../../../../views/components/time-chart.tsx";
import { NotFound, defineView, type ViewParams } from "../view.ts";
import { roomModel } from "./room-model.ts";

const roomNoOf = (params: ViewParams): number => {
  const raw = params.room_no ?? "";
  if (!/^\d{1,9}$/.test(raw)) throw new NotFound(`There is no room "${raw}".`);
  return Number(raw);
};

export const room = defineView({
  path: "/rooms/:room_no",
  on: ["room", "rule", "alert"],
  load: async ({ store, now = Date.now }, params) => {
    const roomNo = roomNoOf(params);
    const t = now();
    const view = await store.read((q) => roomModel(q).one(roomNo, t));
    if (!view) throw new NotFound(`Room ${roomNo} has sent no readings yet.`);
    return { room: view, now: t };
  },
  title: ({ room }) => `Room ${room.room_no}`,
  render: ({ room, now }, params) => <Room room={room} range={rangeOf(params.range)} now={now} />,
});
