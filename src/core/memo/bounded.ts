/**
 * `compute` remembered per short string: devices send to the same few topics, with the same
 * ids, over and over. At most `max` answers for strings of at most `maxLength` characters are
 * kept, and the whole set is emptied when full — a bound on memory against a client that sends
 * endless or very long names, not an LRU; longer strings are computed each time.
 */
export function boundedMemo<T>(
  compute: (s: string) => T,
  { max = 2048, maxLength = 256 }: { max?: number; maxLength?: number } = {},
): (s: string) => T {
  const known = new Map<string, T>();
  return (s) => {
    if (s.length > maxLength) return compute(s);
    if (known.has(s)) return known.get(s) as T;
    const answer = compute(s);
    if (known.size >= max) known.clear();
    known.set(s, answer);
    return answer;
  };
}
