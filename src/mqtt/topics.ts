/** MQTT topic filters: `+` matches one level, `#` the rest (MQTT 3.1.1 §4.7). */
export function matches(filter: string, topic: string): boolean {
  return capture(filter, topic) !== null;
}

/** The levels matched by `+` wildcards, in order; null when the topic does not match. */
export function capture(filter: string, topic: string): string[] | null {
  return captureLevels(filter.split("/"), topic.split("/"));
}

/** `capture` on topics already split into levels (a hot path splits each topic once). */
export function captureLevels(f: readonly string[], t: readonly string[]): string[] | null {
  const out: string[] = [];
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") {
      if (i === 0 && t[0]!.startsWith("$")) return null; // [MQTT-4.7.2-1]
      return i <= t.length ? out : null;
    }
    if (i >= t.length) return null;
    if (f[i] === "+") {
      if (i === 0 && t[0]!.startsWith("$")) return null; // [MQTT-4.7.2-1]
      out.push(t[i]!);
    } else if (f[i] !== t[i]) return null;
  }
  return f.length === t.length ? out : null;
}
