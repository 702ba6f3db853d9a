import { topics } from "../../core/kafka/topics.ts";
import type { EventBus } from "../../events/index.ts";
import { inTransaction, type Db } from "../../store/index.ts";
import { presenceRows } from "../../store/presence.ts";
import type { Alerts } from "../../alerts/index.ts";
import { parseEntrance } from "../parse/entrance.ts";
import { partition, sourceOf, type Sink } from "../run-sink.ts";
import { Presence, type PresenceOptions } from "./model.ts";

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Entrance events → who is in/out, time away today, and "away too long" alerts.
 *
 * The people are read back from the store before each use: with several `--role consumers`
 * processes each handles some people's partitions, the flag depends on everyone's time away (the
 * median), and a partition may move — a copy kept in memory would miss what the others stored.
 * A redelivered event is not stored again, so it is not applied twice.
 */
export function presenceSink(db: Db, alerts: Alerts, bus: EventBus, opts: PresenceOptions) {
  const model = new Presence(opts);
  const rows = presenceRows(db);
  /** Re-checks everyone (time away grows while someone is out, even with no new events). */
  const evaluate = (now: number) =>
    // one transaction (a savepoint inside a batch's): the timer calls it on its own
    inTransaction(db, () => {
      model.reload(rows.people());
      for (const { person, away, limit } of model.evaluate(now)) {
        rows.savePerson(person);
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
    });
  const sink: Sink = {
    name: "presence",
    topics: [topics.entrance],
    store: db,
    handle(records) {
      const { ok, rejected } = partition(records, (r) => parseEntrance(r.key, r.value));
      let newest = 0;
      let fresh = false;
      for (const { record, value } of ok) {
        if (!rows.insertEvent({ ...value, ...sourceOf(record) })) continue; // redelivered
        // after this batch's first write no other process can change the store until it commits
        if (!fresh) model.reload(rows.people());
        fresh = true;
        const p = model.apply(value.name, value.recordType, value.ts);
        rows.savePerson(p);
        bus.publish({ type: "person" });
        newest = Math.max(newest, value.ts);
      }
      if (newest) evaluate(Math.max(newest, Date.now()));
      return rejected;
    },
  };
  return { sink, evaluate, model };
}
