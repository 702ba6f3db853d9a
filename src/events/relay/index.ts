export { ChangeRelay, type ChangeTransport, type RelayOptions } from "./relay.ts";
export { kafkaChangeTransport, changesTopic } from "./kafka.ts";
export { decodeChange, encodeChange, type Change } from "./codec.ts";
