import { topics } from "../../core/kafka/topics.ts";
import type { EventBus } from "../../events/index.ts";
import type { Db } from "../../store/index.ts";
import { entranceEvents, people } from "../../store/schema.ts";
import type { Alerts } from "../../alerts/index.ts";
import { parseEntrance } from "../parse/entrance.ts";
import { partition, sourceOf, type Sink } from "../run-sink.ts";
import { Presence, type Person, type PresenceOptions } from "./model.ts";

const minutes = (ms: number) => Math.round(ms / 60_000);

/** Entrance events → who is in/out, time away today, and "away too long" alerts. */
export function presenceSink(db: Db, alerts: Alerts, bus: EventBus, opts: PresenceOptions) {
  const model = new Presence(opts);
  model.load(db.select().from(people).all() as Person[]);
  const save = (p: Person) =>
    db
      .insert(people)
      .values(p)
      .onConflictDoUpdate({ target: people.name, set: { ...p } })
      .run();
  /** Re-checks everyone (time away grows while someone is out, even with no new events). */
  const evaluate = (now: number) => {
    for (const { person, away, limit } of model.evaluate(now)) {
      save(person);
      const subject = person.name;
      if (person.flagged) {
        alerts.raise(
          "away-too-long",
          subject,
          `${subject} has been away ${minutes(away)} min today (limit ${minutes(limit)} min: ${opts.factor}× the group's median, at least ${minutes(opts.minAwayMs)})`,
          "warning",
        );
      } else alerts.clear("away-too-long", subject);
    }
  };
  const sink: Sink = {
    name: "presence",
    topics: [topics.entrance],
    handle(records) {
      const { ok, rejected } = partition(records, (r) => parseEntrance(r.key, r.value));
      let newest = 0;
      db.transaction((tx) => {
        for (const { record, value } of ok) {
          const fresh = tx
            .insert(entranceEvents)
            .values({
              ...value,
              ...sourceOf(record),
            })
            .onConflictDoNothing()
            .returning({ id: entranceEvents.id })
            .get();
          if (!fresh) continue; // redelivered: already applied
          const p = model.apply(value.name, value.recordType, value.ts);
          tx.insert(people)
            .values(p)
            .onConflictDoUpdate({ target: people.name, set: { ...p } })
            .run();
          bus.publish({ type: "person", name: p.name, state: p.state, since: p.since });
          newest = Math.max(newest, value.ts);
        }
      });
      if (newest) evaluate(Math.max(newest, Date.now()));
      return rejected;
    },
  };
  return { sink, evaluate, model };
}
