/** How each scenario counts, for docs/RELIABILITY.md (the numbers come from its run). */
export const methods: Record<string, string> = {
  "kill-serve":
    "`iot serve` (role all) runs from source on a temp data dir. Four mqtt.js clients (MQTT 5, QoS 1) publish unique readings (`msg_id` in the JSON and as a user property, ts unique per device) to `iot/<dev>/telemetry`; a message is acknowledged when its PUBACK arrives. The server is killed with SIGKILL during the load and started again on the same data dir and ports; the clients reconnect and mqtt.js re-sends every un-acked message (DUP). After the load the store is polled until every acknowledged message is there, plus 3 s for late copies; then serve is stopped and `iot.db` is read with bun:sqlite (read-only). A message is identified by `msg_id` when `readings` has that column, else by (device_id, ts).",
  "kafka-outage":
    "External-Kafka mode: one `iot serve --role brokers` is the Kafka cluster, a second `iot serve --kafka-brokers <first>` takes the MQTT load (same publishers as kill-serve). The broker is killed (SIGKILL) during the load and kept down for the outage, then restarted on its data dir and port. While it is down the bridge must acknowledge from its on-disk spool; afterwards the spool must drain (`iot_bridge_spool_records` back to 0) and every acknowledged reading must be stored once.",
  "device-offline":
    "`iot device --sensor sim --camera off --read-interval 1` publishes to `iot serve`. The server is stopped (SIGTERM) for the outage and restarted on the same data dir and ports; the device keeps reading into its on-disk outbox. Acknowledged = the readings the device made from its first stored reading to its last: one per read interval, so a gap of k intervals in the stored ts sequence counts k − 1 lost readings (when `msg_id` ends in a sequence number, gaps in that sequence are counted instead). Order: ts must increase per device in row (= Kafka offset) order.",
  "slow-clients":
    "During an MQTT QoS 1 load, dashboard SSE clients (`GET /events?view=…`) that never read from their sockets and a kafkajs consumer in its own group on `iot.telemetry` that sleeps on every batch. The server's RSS is sampled from /proc/<pid>/status every second; it must stay bounded (see the notes for the bound and the samples), and every acknowledged reading must still be stored once.",
  "disk-full":
    "The data dir sits on a small filesystem that fills up under load: writes are refused cleanly with an alert, the store is not corrupted, and ingestion recovers once space returns.",
};
