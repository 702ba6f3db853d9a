/** @jsxImportSource hono/jsx */
import { Rooms } from "../../../../views/pages/rooms.tsx";
import { defineView } from "../view.ts";
import { roomModel } from "./room-model.ts";

export const rooms = defineView({
  path: "/rooms",
  title: "Rooms",
  on: ["room", "rule", "alert"],
  load: async ({ store, now = Date.now }) => {
    const t = now();
    return { now: t, rooms: await store.read((q) => roomModel(q).all(t)) };
  },
  render: ({ rooms, now }) => <Rooms rooms={rooms} now={now} />,
});
