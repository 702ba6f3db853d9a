/**
 * A bin filling up: its level rises by a random step each tick until it reaches 100, when it
 * reports `FULL` for a few ticks; then it is emptied and starts again. The seed's payload is
 * `"<level> <bin_count> <YYYY-mm-dd> <HH:MM:SS>"`.
 */
import type { Rng } from "./prng.ts";

export interface BinState {
  binNo: number;
  level: number;
  /** ticks left reporting FULL before it is emptied */
  fullTicks: number;
}

export const fullFor = 3;

export function newBin(binNo: number, rng: Rng): BinState {
  return { binNo, level: rng.int(40, 80), fullTicks: 0 };
}

/** The next state and what it reports this tick. */
export function stepBin(bin: BinState, rng: Rng): { bin: BinState; level: string } {
  if (bin.fullTicks > 0) {
    const left = bin.fullTicks - 1;
    if (left > 0) return { bin: { ...bin, fullTicks: left }, level: "FULL" };
    return { bin: { ...bin, level: 0, fullTicks: 0 }, level: "0" }; // emptied
  }
  const level = bin.level + rng.int(3, 10);
  if (level >= 100) return { bin: { ...bin, level: 100, fullTicks: fullFor }, level: "FULL" };
  return { bin: { ...bin, level }, level: String(level) };
}

export function binPayload(level: string, binNo: number, at: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const date = `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}`;
  const time = `${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}`;
  return `${level} ${binNo} ${date} ${time}`;
}
