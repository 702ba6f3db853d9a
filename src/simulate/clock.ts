/**
 * Periodic work that never overlaps itself: a tick that is still running when the next one is
 * due makes that one skip (as a real sensor loop would). `stop()` waits for the running tick,
 * but not forever: with the server gone, a publish may wait for a reconnection that never comes.
 */
export interface Ticker {
  stop(): Promise<void>;
}

export function every(
  ms: number,
  fn: (tick: number) => Promise<void> | void,
  graceMs = 3000,
): Ticker {
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
      if (running) await Promise.race([running.catch(() => {}), Bun.sleep(graceMs)]);
    },
  };
}
