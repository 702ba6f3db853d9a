/**
 * The one device-id grammar, enforced at every door: HTTP paths, MQTT topics, Kafka keys and
 * payload ids, image folders. An id becomes an MQTT topic level (so no `+`, `#`, `/`, NUL), a
 * Kafka key, a file name under the images dir (so no `.`/`..`, no separators) and a line of
 * HTML or SSE (so no control characters). The seeds' ids (`3DF92-192`, `0`, `pi-1`) fit, and
 * so does every id `iot device` accepted before (it checks with this same grammar now) but one
 * starting with `.`, `_`, `:` or `-`. A `:` (a MAC address as the id) is fine on Linux paths.
 */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const DEVICE_ID_RULE =
  "1-128 characters: letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

/** Why `id` is not a device id, or undefined when it is one. */
export function deviceIdProblem(id: unknown): string | undefined {
  if (typeof id !== "string") return `expected a string (${DEVICE_ID_RULE})`;
  if (DEVICE_ID_PATTERN.test(id)) return undefined;
  return `${JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id)} is not a device id (${DEVICE_ID_RULE})`;
}

export const isDeviceId = (id: unknown): id is string => deviceIdProblem(id) === undefined;
