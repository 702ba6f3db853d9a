/** The static "Hostile input" section of docs/RELIABILITY.md: what the fuzz and e2e tests check. */
const t = (file: string) => `[${file}](../${file})`;

export const hostileInput = `## Hostile input

Checked on every \`npm test\` by ${t("test/mqtt/fuzz.test.ts")}, ${t("test/kafka/fuzz.test.ts")},
${t("test/e2e/oversized.test.ts")}, ${t("test/e2e/bad-http-bodies.test.ts")},
${t("test/e2e/bad-mqtt-payloads.test.ts")}, ${t("test/e2e/protected.test.ts")} and
${t("test/e2e/tls.test.ts")}.

- **Fuzz.** MQTT: 2,000 seeded sessions of mutated mqtt.js packets (8 concurrent); Kafka: 3,000
  mutated kafkajs frames; malformed HTTP requests are answered 400. Afterwards every listener
  still serves a normal client end to end. At scale: the \`fuzz\` scenario above (≥ 1 M frames
  per listener with \`npm run chaos -- fuzz\`; 20,000 per listener in ${t("test/chaos/fuzz.test.ts")}).
- **Oversized.** A 100 MB MQTT PUBLISH is disconnected after ~2 MB read (+0.5 MB RSS); a 1 GB
  \`Content-Length\` gets a JSON 413 at once (+0.1 MB); a chunked body gets 413 at the limit
  (+17.4 MB at the 4 MiB limit; hono's \`bodyLimit\` buffers); a ~2 GB Kafka frame is closed on
  its size prefix (+0.1 MB).
- **Malformed payloads.** Every HTTP write route answers 400 naming the field, never 5xx; every
  mapped MQTT path sends bad payloads to \`iot.dead-letter\` with a \`reason\` header.
- **Protected mode** (\`--host 0.0.0.0\` without \`--insecure\`): writes need the right kind of
  token, reads stay open; a device token publishes and subscribes only under \`iot/<its id>/\`
  with its own client id, and produces only records about itself; readers read, admins do
  anything; a revoked token's sessions end within seconds (${t("test/e2e/authz-mqtt.test.ts")},
  ${t("test/e2e/authz-kafka.test.ts")}).
- **Floods before login** (${t("test/limits/kafka-memory.test.ts")}, ${t("test/limits/connections.test.ts")},
  ${t("test/e2e/memory-bounds.test.ts")}): pipelining without reading, 100 half-sent 9 MiB frames,
  more idle connections than the process has descriptors, 30,000 retained messages and 120
  video sources all stay under their memory and descriptor bounds, measured from /proc.
- **Browsers** (${t("test/e2e/hostile-http.test.ts")}, ${t("test/browser/csrf.test.ts")}): foreign
  Host names, cross-origin writes and \`text/plain\` bodies are refused; ids and topics that
  would break MQTT or the disk are refused at every door (${t("test/e2e/hostile-ids.test.ts")}).
- **TLS** (\`--tls-cert\`/\`--tls-key\`): HTTPS and MQTTS with real clients; clients that don't
  trust the CA are refused; unreadable cert files stop the server naming the file.

Known gaps (see [SECURITY.md](SECURITY.md)): no TLS on the Kafka listener; protected mode
blocks the seed topics \`coffee\` and \`hello/world\` for device tokens (an admin token
publishes them); HTTP has no per-address cap.
`;
