/**
 * In-process fan-out of things that happened (a reading stored, an alert raised), for the live
 * dashboard's SSE stream. Synchronous and lossy by design: a slow subscriber must drop or
 * coalesce in its own queue, never slow the sinks.
 */
export type IotEvent =
  | { type: "reading"; deviceId: string; ts: number; temperature?: number; humidity?: number }
  | { type: "image"; deviceId: string; id: number; ts: number }
  | { type: "bin"; binCount: number; level: string; full: boolean; ts: number }
  | { type: "device"; id: string; x?: number; y?: number; status?: string; online?: boolean }
  | { type: "person"; name: string; state: "in" | "out"; since: number }
  | { type: "room"; roomNo: number; temperature?: number; humidity?: number; ts: number }
  | { type: "rule"; roomNo: number; scheduleId: number; state: string }
  | { type: "alert"; id: number; kind: string; subject: string; message: string; state: string };

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
