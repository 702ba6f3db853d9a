/**
 * Who is in and who is out, and each person's time away today (local days). A person is
 * flagged when their time away exceeds both `minAwayMs` and `factor` × the group's median time
 * away today — "too long away" relative to how everyone else's day is going.
 */
export interface PresenceOptions {
  factor: number;
  minAwayMs: number;
}

export const defaultPresence: PresenceOptions = { factor: 3, minAwayMs: 30 * 60_000 };

export interface Person {
  name: string;
  state: "in" | "out";
  since: number;
  day: string;
  awayMsToday: number;
  flagged: boolean;
}

export const localDay = (ts: number) => {
  const d = new Date(ts);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

const startOfDay = (ts: number) => {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

export class Presence {
  readonly people = new Map<string, Person>();

  constructor(readonly opts: PresenceOptions = defaultPresence) {}

  load(rows: Person[]): void {
    for (const p of rows) this.people.set(p.name, { ...p });
  }

  /** Everyone as stored now, forgetting what this copy knew (another process may have moved on). */
  reload(rows: Person[]): void {
    this.people.clear();
    this.load(rows);
  }

  apply(name: string, type: "in" | "out", ts: number): Person {
    const day = localDay(ts);
    let p = this.people.get(name);
    if (!p) {
      p = { name, state: type, since: ts, day, awayMsToday: 0, flagged: false };
      this.people.set(name, p);
      return p;
    }
    if (p.day !== day) {
      // a new day: what was away before midnight belongs to yesterday
      p.day = day;
      p.awayMsToday = 0;
      p.flagged = false;
      if (p.state === "out") p.since = Math.max(p.since, startOfDay(ts));
    }
    if (type === "in" && p.state === "out") p.awayMsToday += Math.max(0, ts - p.since);
    if (type !== p.state) {
      p.state = type;
      p.since = ts;
    }
    return p;
  }

  awayNow(p: Person, now: number): number {
    if (p.day !== localDay(now))
      return p.state === "out" ? now - Math.max(p.since, startOfDay(now)) : 0;
    return p.awayMsToday + (p.state === "out" ? Math.max(0, now - p.since) : 0);
  }

  medianAway(now: number): number {
    const values = [...this.people.values()].map((p) => this.awayNow(p, now)).sort((a, b) => a - b);
    if (values.length === 0) return 0;
    const mid = values.length >> 1;
    return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
  }

  /** People whose flag changed, with the limit that applied. */
  evaluate(now: number): Array<{ person: Person; away: number; limit: number }> {
    const limit = Math.max(this.opts.minAwayMs, this.opts.factor * this.medianAway(now));
    const changed = [];
    for (const p of this.people.values()) {
      const away = this.awayNow(p, now);
      const over = away > limit;
      if (over !== p.flagged) {
        p.flagged = over;
        changed.push({ person: p, away, limit });
      }
    }
    return changed;
  }
}
