/** @jsxImportSource hono/jsx */
import { deviceCommandRows } from "../../../store/device-commands.ts";
import { deviceQueries } from "../../../store/device-queries.ts";
import { deviceRows } from "../../../store/devices.ts";
import { DeviceDetail } from "../../../../views/pages/devices/detail.tsx";
import { displayName } from "../../../../views/pages/devices/state.ts";
import { NotFound, type View, type ViewDeps, type ViewParams } from "../view.ts";
import { deviceItem } from "./devices.tsx";

const SNAPSHOTS = 12;
const COMMANDS = 20;

/** The device the page names: one seen or commanded (a row), else 404. */
function find({ db }: ViewDeps, params: ViewParams) {
  const id = params.id ?? "";
  const row = deviceQueries(db).device(id);
  if (!row)
    throw new NotFound(`No device "${id}": it has neither sent anything nor been sent a command.`);
  return row;
}

export const device: View = {
  path: "/devices/:id",
  title: (deps, params) => displayName(find(deps, params)),
  on: ["device", "image", "reading"],
  render: (deps, params) => {
    const { db, now = Date.now } = deps;
    const at = now();
    const row = find(deps, params);
    const q = deviceQueries(db);
    const item = deviceItem(db, row, new Set(q.cameraIds()), at);
    return (
      <DeviceDetail
        device={item}
        snapshots={q.snapshots(row.id, SNAPSHOTS)}
        commands={deviceCommandRows(db).recent(row.id, COMMANDS)}
        data={deviceRows(db).dataCounts(row.id)}
        confirmDelete={params.confirm === "delete"}
        now={at}
      />
    );
  },
};
