/** @jsxImportSource hono/jsx */
import { DeviceDetail } from "../../../../views/pages/devices/detail.tsx";
import { displayName } from "../../../../views/pages/devices/state.ts";
import { NotFound, defineView } from "../view.ts";
import { deviceItem } from "./devices.tsx";

const SNAPSHOTS = 12;
const COMMANDS = 20;

export const device = defineView({
  path: "/devices/:id",
  on: ["device", "image", "reading"],
  load: async ({ store, now = Date.now }, params) => {
    const at = now();
    const id = params.id ?? "";
    return store.read(async ({ console: c }) => {
      // one seen or commanded (a row), else 404
      const row = await c.device(id);
      if (!row)
        throw new NotFound(
          `No device "${id}": it has neither sent anything nor been sent a command.`,
        );
      const times = await c.recentTimes([row.id]);
      return {
        device: deviceItem(row, new Set(await c.cameraIds()), times.get(row.id), at),
        snapshots: await c.snapshots(row.id, SNAPSHOTS),
        commands: await c.commands(row.id, COMMANDS),
        data: await c.dataCounts(row.id),
        confirmDelete: params.confirm === "delete",
        now: at,
      };
    });
  },
  title: ({ device }) => displayName(device),
  render: (data) => <DeviceDetail {...data} />,
});
