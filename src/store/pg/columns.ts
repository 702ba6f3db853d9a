/** The row shapes of src/store/columns.ts, from the PostgreSQL schema's tables. */
import {
  alertShape,
  columnsOf,
  deviceShape,
  personShape,
  roomShape,
  ruleShape,
} from "../columns.ts";
import { alerts, devices, people, rooms, rules } from "./schema.ts";

export const deviceColumns = columnsOf(devices, deviceShape);
export const alertColumns = columnsOf(alerts, alertShape);
export const personColumns = columnsOf(people, personShape);
export const ruleColumns = columnsOf(rules, ruleShape);
export const roomColumns = columnsOf(rooms, roomShape);
