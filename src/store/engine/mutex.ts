/**
 * One holder at a time, in arrival order. `run` always yields before `fn` starts, so a caller
 * in the middle of synchronous work (a SQLite transaction of the old synchronous path) finishes
 * it first.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    // the next holder waits for this one to settle, whatever its outcome
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
