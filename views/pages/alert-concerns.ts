/**
 * What an alert is about, read from its kind and subject as src/ raises them (`room 2 rule 1`,
 * `bin 3`, a person's name, a device id), and the message to show: one that stays current.
 */
import { minutes } from "../format.ts";

export interface Concern {
  label: string;
  href: string;
}

export function concernsOf(
  kind: string,
  subject: string,
  isDevice: (id: string) => boolean = () => false,
): Concern[] {
  const out: Concern[] = [];
  const room = /^room (\d+)(?: |$)/.exec(subject);
  if (room) out.push({ label: `Room ${room[1]}`, href: `/rooms/${room[1]}` });
  const bin = /^bin (\d+)$/.exec(subject);
  if (bin) out.push({ label: `Bin ${bin[1]}`, href: `/bins` });
  if (kind === "away-too-long")
    out.push({ label: subject, href: `/people/${encodeURIComponent(subject)}` });
  const device = subject.startsWith("device ") ? subject.slice(7) : subject;
  if (isDevice(device))
    out.push({ label: `Device ${device}`, href: `/devices/${encodeURIComponent(device)}` });
  return out;
}

/** A person's time away today as the People page counts it: up to now while they are out. */
export interface AwayNow {
  name: string;
  away_ms: number;
}

/**
 * The message as of now. "Away too long" was written with the minutes at the moment it was
 * raised; while it is open the person's time away goes on growing, so it is told afresh from
 * their current time away. Other kinds describe a moment and keep their stored text.
 */
export function currentMessage(
  a: { kind: string; subject: string; message: string; state: string },
  away: (name: string) => number | undefined,
): string {
  if (a.kind !== "away-too-long" || a.state === "cleared") return a.message;
  const ms = away(a.subject);
  if (ms === undefined) return a.message;
  // the stored text is "<name> has been away N min today (limit …)": keep its limit part
  const limit = /\(limit [^)]*\)$/.exec(a.message)?.[0];
  return `${a.subject} has been away ${minutes(ms)} today${limit ? ` ${limit}` : ""}`;
}
