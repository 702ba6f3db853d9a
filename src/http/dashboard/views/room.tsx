/** @jsxImportSource hono/jsx */
import { Room } from "../../../../views/pages/room.tsx";
import { rangeOf } from "../../../../views/components/time-chart.tsx";
import { NotFound, type View, type ViewParams } from "../view.ts";
import { roomModel } from "./room-model.ts";

const roomNoOf = (params: ViewParams): number => {
  const raw = params.room_no ?? "";
  if (!/^\d{1,9}$/.test(raw)) throw new NotFound(`There is no room "${raw}".`);
  return Number(raw);
};

export const room: View = {
  path: "/rooms/:room_no",
  title: (_deps, params) => `Room ${roomNoOf(params)}`,
  on: ["room", "rule", "alert"],
  render: ({ db, now = Date.now }, params) => {
    const roomNo = roomNoOf(params);
    const t = now();
    const view = roomModel(db).one(roomNo, t);
    if (!view) throw new NotFound(`Room ${roomNo} has sent no readings yet.`);
    return <Room room={view} range={rangeOf(params.range)} now={t} />;
  },
};
