export { startBridge, type Bridge, type BridgeCounts, type BridgeOptions } from "./bridge.ts";
export { embeddedPublishHook } from "./embedded.ts";
export { connectExternal, type ExternalOptions, type ExternalSubscriber } from "./external.ts";
export {
  defaultRules,
  mapMessage,
  type KafkaRecord,
  type Mapped,
  type MappingRule,
} from "./mapping.ts";
export { loadBridgeRules } from "./rules-file.ts";
