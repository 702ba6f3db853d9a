/**
 * Every dashboard view by name; the name is also its SSE event and its `?view=` on /events.
 * The order is the order of the pages' routes (a detail page's path after its list's).
 */
import type { View } from "../view.ts";
import { alert } from "./alert.tsx";
import { alerts } from "./alerts.tsx";
import { bins } from "./bins.tsx";
import { cameras } from "./cameras.tsx";
import { device } from "./device.tsx";
import { devices } from "./devices.tsx";
import { overview } from "./overview.tsx";
import { people } from "./people.tsx";
import { room } from "./room.tsx";
import { person } from "./person.tsx";
import { rooms } from "./rooms.tsx";

export const views: Record<string, View> = {
  overview,
  rooms,
  room,
  people,
  person,
  devices,
  device,
  bins,
  cameras,
  alerts,
  alert,
};
