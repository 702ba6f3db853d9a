/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { Alerts } from "../../../../views/pages/alerts.tsx";
import type { View } from "../view.ts";

export const alerts: View = {
  path: "/alerts",
  title: "Alerts",
  on: ["alert"],
  render: ({ db }) => <Alerts alerts={queries(db).alerts(undefined, 200)} />,
};
