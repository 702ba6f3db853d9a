/**
 * Parked Fetch requests (long polling): woken by an append to one of their partitions, by
 * their max-wait timer, or by their connection closing — whichever comes first.
 */
import type { LogManager } from "./log/index.ts";

type Wake = () => void;

export class FetchWaiters {
  private readonly waiting = new Map<string, Set<Wake>>();
  private readonly unsubscribe: () => void;

  constructor(logs: LogManager) {
    this.unsubscribe = logs.onAppend((topic, partition) => {
      const set = this.waiting.get(`${topic}\u0000${partition}`);
      if (set) for (const wake of [...set]) wake();
    });
  }

  get parked(): number {
    let n = 0;
    for (const s of this.waiting.values()) n += s.size;
    return n;
  }

  wait(partitions: Array<[string, number]>, timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const keys = partitions.map(([t, p]) => `${t}\u0000${p}`);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        for (const k of keys) {
          const set = this.waiting.get(k);
          set?.delete(done);
          if (set?.size === 0) this.waiting.delete(k);
        }
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener("abort", done);
      for (const k of keys) {
        let set = this.waiting.get(k);
        if (!set) this.waiting.set(k, (set = new Set()));
        set.add(done);
      }
    });
  }

  close(): void {
    this.unsubscribe();
    for (const set of this.waiting.values()) for (const wake of [...set]) wake();
  }
}
