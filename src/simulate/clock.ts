/**
 * Periodic work that never overlaps itself: a tick that is still running when the next one is
 * due makes that one skip (as a real sensor loop would), and `stop()` waits for the running one.
 */
export interface Ticker {
  stop(): Promise<void>;
}

export function every(ms: number, fn: (tick: number) => Promise<void> | void): Ticker {
  let tick = 0;
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    const n = tick++;
    running = (async () => {
      try {
        await fn(n);
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(run, ms);
  run();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
