export { startMqttBroker, type MqttBroker, type MqttBrokerOptions } from "./broker.ts";
export { capture, captureLevels, matches } from "./topics.ts";
