export { EventBus, type IotEvent, type IotEventType, type Listener } from "./bus.ts";
