/**
 * Decoding text that repeats (a record's header names, a device's id as its key): the last text
 * of each byte length is kept, and given again when its characters are the bytes — ~30 ns
 * against ~110 ns for decoding a short string anew, which on the in-process consumer's path was
 * over half the cost of a record. Equal then means the same string: a text has as many
 * characters as bytes only when each byte was one ASCII character (a multi-byte character
 * makes fewer; an invalid byte decodes to U+FFFD, which no byte equals).
 */
const MAX_KEPT_BYTES = 64;

/** A decoder with its own kept texts (one per kind of text, so they do not push each other out). */
export function repeatedText(): (bytes: Buffer, start: number, end: number) => string {
  const lastOfLength: string[] = new Array(MAX_KEPT_BYTES).fill("");
  return (bytes, start, end) => {
    const n = end - start;
    if (n >= MAX_KEPT_BYTES) return bytes.toString("utf8", start, end);
    const last = lastOfLength[n]!;
    let same = last.length === n;
    for (let i = 0; same && i < n; i++) same = last.charCodeAt(i) === bytes[start + i];
    if (same) return last;
    return (lastOfLength[n] = bytes.toString("utf8", start, end));
  };
}
