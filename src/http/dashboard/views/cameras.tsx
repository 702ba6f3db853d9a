/** @jsxImportSource hono/jsx */
import { Cameras } from "../../../../views/pages/cameras.tsx";
import { displayName } from "../../../../views/pages/devices/state.ts";
import { defineView } from "../view.ts";

/** snapshots per camera: the newest large, the rest as a strip */
const PER_CAMERA = 9;

export const cameras = defineView({
  path: "/cameras",
  title: "Cameras",
  // a new live source or one gone idle also publishes "image" (src/serve/start.ts)
  on: ["image", "device"],
  load: async ({ store, videoSources, now = Date.now, site }) => {
    const cameras = await store.read(async ({ console: c }) =>
      Promise.all(
        (await c.cameraIds()).map(async (id) => ({
          id,
          name: displayName((await c.device(id)) ?? { id }),
          snapshots: await c.snapshots(id, PER_CAMERA),
        })),
      ),
    );
    return { live: videoSources(), cameras, now: now(), mqttUrl: site?.().mqttUrl };
  },
  render: (data) => <Cameras {...data} />,
});
