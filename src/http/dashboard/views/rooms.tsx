/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { Rooms } from "../../../../views/pages/rooms.tsx";
import type { View } from "../view.ts";

export const rooms: View = {
  path: "/rooms",
  title: "Rooms",
  on: ["room", "rule"],
  render: ({ db, now = Date.now }) => {
    const q = queries(db);
    const rules = q.rules();
    const since = now() - 6 * 3600_000;
    const rooms = q.rooms().map((r) => ({
      ...r,
      rules: rules.filter((x) => x.room_no === r.room_no),
      history: q.roomHistory(r.room_no, since),
    }));
    return <Rooms rooms={rooms} />;
  },
};
