/**
 * The seams between the device agent's parts, fixed first so that sensors, camera and video
 * (the hardware side) and the outbox, transport and commands (the delivery side) can grow apart.
 */

/** One climate reading: °C and %RH, either may be missing when the sensor has only one. */
export interface Reading {
  /** ms since the epoch, when the sensor was read */
  ts: number;
  temperature: number | null;
  humidity: number | null;
}

/** A temperature/humidity sensor. `read()` rejects on a failed read (after its own retries). */
export interface Sensor {
  readonly name: string;
  read(): Promise<Reading>;
  close(): Promise<void>;
}

/** A still camera. `snapshot()` resolves to a JPEG, already resized and stamped with its time. */
export interface Camera {
  readonly name: string;
  snapshot(now: Date): Promise<Buffer>;
  close(): Promise<void>;
}

/** A stream of MJPEG frames (each one complete JPEG) at a configured rate. */
export interface VideoSource {
  readonly name: string;
  /** Starts producing; `onFrame` is called once per frame, `onError` when the source dies. */
  start(onFrame: (jpeg: Buffer) => void, onError: (err: Error) => void): void;
  stop(): Promise<void>;
}
