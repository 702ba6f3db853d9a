import { topics } from "../../core/kafka/topics.ts";
import type { EventBus } from "../../events/index.ts";
import type { StoreEngine, StoreOps } from "../../store/engine/index.ts";
import type { Alerts } from "../../alerts/index.ts";
import { parseEntrance } from "../parse/entrance.ts";
import { partition, sourceOf, type EngineSink } from "../run-sink.ts";
import { Presence, type PresenceOptions } from "./model.ts";

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Entrance events → who is in/out, time away today, and "away too long" alerts.
 *
 * The people are read back from the store, locked, before each use: with several `--role
 * consumers` processes each handles some people's partitions, the flag depends on everyone's
 * time away (the median), and a partition may move — a copy kept in memory would miss what the
 * others stored, and two transactions reading the same person would each add to the old value.
 * The lock makes the second wait and read what the first committed. A redelivered event is not
 * stored again, so it is not applied twice.
 */
export function presenceSink(
  engine: StoreEngine,
  alerts: Alerts,
  bus: EventBus,
  opts: PresenceOptions,
) {
  const model = new Presence(opts);
  /** flags and alerts from the model as loaded in `tx` */
  const flagIn = async (tx: StoreOps, now: number) => {
    for (const { person, away, limit } of model.evaluate(now)) {
      await tx.presence.savePerson(person);
      const subject = person.name;
      if (person.flagged) {
        await alerts.raiseIn(
          tx,
          "away-too-long",
          subject,
          `${subject} has been away ${minutes(away)} min today (limit ${minutes(limit)} min: ${opts.factor}× the group's median, at least ${minutes(opts.minAwayMs)})`,
          "warning",
        );
      } else await alerts.clearIn(tx, "away-too-long", subject);
    }
  };
  /** Re-checks everyone (time away grows while someone is out, even with no new events). */
  const evaluate = (now: number) =>
    engine.transaction(async (tx) => {
      model.reload(await tx.peopleState.lock());
      await flagIn(tx, now);
    });
  const sink: EngineSink = {
    name: "presence",
    topics: [topics.entrance],
    engine,
    async handle(records, tx) {
      const { ok, rejected } = partition(records, (r) => parseEntrance(r.key, r.value));
      if (ok.length === 0) return rejected;
      // locked before the first event goes in: another process's batch waits for this one
      model.reload(await tx.peopleState.lock());
      let newest = 0;
      for (const { record, value } of ok) {
        if (!(await tx.presence.insertEvent({ ...value, ...sourceOf(record) }))) continue; // redelivered
        const p = model.apply(value.name, value.recordType, value.ts);
        await tx.presence.savePerson(p);
        bus.publish({ type: "person" });
        newest = Math.max(newest, value.ts);
      }
      if (newest) await flagIn(tx, Math.max(newest, Date.now()));
      return rejected;
    },
  };
  return { sink, evaluate, model };
}
