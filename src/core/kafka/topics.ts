/**
 * Kafka topics `iot` reads and writes. The seeds' names are kept exactly; MQTT topics map to
 * Kafka names with `/` → `.` and wildcard segments dropped (Kafka names allow [a-zA-Z0-9._-]).
 */
export const topics = {
  // seeds
  tempTest: "temp_test",
  imgTest: "imgtest",
  rtspStream: "rtsp-stream",
  entrance: "entrance",
  room: "room",
  roomRule: "room_rule",
  coffee: "coffee",
  helloWorld: "hello.world",
  // devices through the bridge, keyed by device id
  telemetry: "iot.telemetry",
  image: "iot.image",
  video: "iot.video",
  status: "iot.status",
  deviceCommand: "iot.command",
  // records nobody could use, with the reason in a header
  deadLetter: "iot.dead-letter",
  // alert events on their way to the notification channels (src/notify/); internal: `iot-…`
  alerts: "iot-alerts",
  // what changed, by kind, for the live dashboards of the other iot processes (src/events/relay/)
  changes: "iot-changes",
} as const;

/** The seeds created these with 2 partitions; so does `iot` (configurable). */
export const seedPartitions = 2;
