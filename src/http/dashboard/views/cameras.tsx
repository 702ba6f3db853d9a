/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { Cameras } from "../../../../views/pages/cameras.tsx";
import type { View } from "../view.ts";

export const cameras: View = {
  path: "/cameras",
  title: "Cameras",
  on: ["image"],
  render: ({ db, videoSources }) => {
    const q = queries(db);
    return (
      <Cameras
        newest={q.newestImages()}
        recent={q.recentImages(24)}
        videoSources={videoSources()}
      />
    );
  },
};
