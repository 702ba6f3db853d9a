/**
 * In-process fan-out of things that happened (a reading stored, an alert raised), for the live
 * dashboard's SSE stream. Synchronous and lossy by design: a slow subscriber must drop or
 * coalesce in its own queue, never slow the sinks.
 */
/**
 * What changed, by kind: the dashboard re-renders the views that show that kind, from the store.
 * No row rides along — no subscriber reads one, and a view always renders what is stored.
 */
export const iotEventTypes = [
  "reading",
  "image",
  "bin",
  "device",
  "person",
  "room",
  "rule",
  "alert",
] as const;
export type IotEventType = (typeof iotEventTypes)[number];
export interface IotEvent {
  type: IotEventType;
}

export type Listener = (event: IotEvent) => void;

export class EventBus {
  private listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: IotEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a broken subscriber must not break the sink that published
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
