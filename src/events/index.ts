export { EventBus, type IotEvent, type Listener } from "./bus.ts";
