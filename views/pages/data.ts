/**
 * The props every page renders from: the store's rows (src/store/queries.ts), so the pages stay
 * pure functions of what is stored; only what a page adds to a row is declared here.
 */
import type {
  PersonRow as StoredPerson,
  RoomRow as StoredRoom,
  RoomSampleRow,
  RuleRow,
} from "../../src/store/queries.ts";

export type {
  AlertRow,
  BinLevelRow as BinRow,
  DeviceRow,
  ImageRefRow as ImageRow,
  LatestReadingRow as ReadingRow,
} from "../../src/store/queries.ts";

/** A person with their time away today, counted up to now. */
export type PersonRow = Pick<StoredPerson, "name" | "state" | "since" | "flagged"> & {
  away_ms: number;
};

/** A room with its recent readings and its rules. */
export type RoomRow = StoredRoom & { history: RoomSampleRow[]; rules: RuleRow[] };
