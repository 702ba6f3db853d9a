/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { Rooms } from "../../../../views/pages/rooms.tsx";
import type { View } from "../view.ts";
import { roomModel } from "./room-model.ts";

export const rooms: View = {
  path: "/rooms",
  title: "Rooms",
  on: ["room", "rule", "alert"],
  render: ({ db, now = Date.now }) => {
    const t = now();
    const model = roomModel(db);
    const all = queries(db)
      .rooms()
      .flatMap((r) => model(r.room_no, t) ?? []);
    return <Rooms rooms={all} now={t} />;
  },
};
