/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { Bins } from "../../../../views/pages/bins.tsx";
import type { View } from "../view.ts";

export const bins: View = {
  path: "/bins",
  title: "Bins",
  on: ["bin"],
  render: ({ db }) => <Bins bins={queries(db).latestBins()} />,
};
