export { startMqttBroker, type MqttBroker, type MqttBrokerOptions } from "./broker.ts";
export { capture, matches } from "./topics.ts";
