export { EventBus, iotEventTypes, type IotEvent, type IotEventType, type Listener } from "./bus.ts";
