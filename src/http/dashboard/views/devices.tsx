/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { Devices } from "../../../../views/pages/devices.tsx";
import type { View } from "../view.ts";

export const devices: View = {
  path: "/devices",
  title: "Devices",
  on: ["device"],
  render: ({ db, now = Date.now }) => <Devices devices={queries(db).devices()} now={now()} />,
};
