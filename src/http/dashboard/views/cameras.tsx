/** @jsxImportSource hono/jsx */
import { deviceQueries } from "../../../store/device-queries.ts";
import { Cameras } from "../../../../views/pages/cameras.tsx";
import { displayName } from "../../../../views/pages/devices/state.ts";
import type { View } from "../view.ts";

/** snapshots per camera: the newest large, the rest as a strip */
const PER_CAMERA = 9;

export const cameras: View = {
  path: "/cameras",
  title: "Cameras",
  // a new live source or one gone idle also publishes "image" (src/serve/start.ts)
  on: ["image", "device"],
  render: ({ db, videoSources, now = Date.now, site }) => {
    const q = deviceQueries(db);
    const groups = q.cameraIds().map((id) => ({
      id,
      name: displayName(q.device(id) ?? { id }),
      snapshots: q.snapshots(id, PER_CAMERA),
    }));
    return (
      <Cameras live={videoSources()} cameras={groups} now={now()} mqttUrl={site?.().mqttUrl} />
    );
  },
};
