/**
 * Runs `task` now and then every `intervalMs` (measured start to start; a slow run delays the
 * next, never overlaps it). A failing task is reported to `onError` and the schedule goes on.
 */
export interface Every {
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

export function every(
  intervalMs: number,
  task: () => Promise<void>,
  onError: (err: unknown) => void,
): Every {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    const started = Date.now();
    running = task()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, Math.max(0, intervalMs - (Date.now() - started)));
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
