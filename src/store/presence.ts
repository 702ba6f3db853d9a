/** Entrance events and the people they move in and out. */
import type { Db } from "./db.ts";
import { entranceEvents, people } from "./schema.ts";
import { preparedInsert, recordPlaceholders, type SourceKey } from "./source.ts";

export interface NewEntranceEvent extends SourceKey {
  name: string;
  recordType: "in" | "out";
  ts: number;
}

export type PersonState = typeof people.$inferSelect;

export function presenceRows(db: Db) {
  const insert = preparedInsert<NewEntranceEvent>(
    db,
    db
      .insert(entranceEvents)
      .values(recordPlaceholders<keyof NewEntranceEvent>(["name", "recordType", "ts"]))
      .onConflictDoNothing(),
  );
  return {
    /** Whether the event is new (false: a redelivery, already applied). */
    insertEvent: (e: NewEntranceEvent): boolean => insert(e) !== undefined,
    people: (): PersonState[] => db.select().from(people).all(),
    savePerson(person: PersonState): void {
      db.insert(people)
        .values(person)
        .onConflictDoUpdate({ target: people.name, set: { ...person } })
        .run();
    },
  };
}
