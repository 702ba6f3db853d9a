/** @jsxImportSource hono/jsx */
import { Rooms } from "../../../../views/pages/rooms.tsx";
import type { View } from "../view.ts";
import { roomModel } from "./room-model.ts";

export const rooms: View = {
  path: "/rooms",
  title: "Rooms",
  on: ["room", "rule", "alert"],
  render: ({ db, now = Date.now }) => {
    const t = now();
    return <Rooms rooms={roomModel(db).all(t)} now={t} />;
  },
};
