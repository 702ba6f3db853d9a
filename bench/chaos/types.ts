/**
 * The contract every fault scenario keeps: it runs real processes, injects one fault, and ends
 * with the counts the reliability report tabulates.
 */
export interface ScenarioOptions {
  /** short durations, for a smoke run; the full run uses the durations the report states */
  quick: boolean;
  log: (line: string) => void;
}

export interface ScenarioResult {
  name: string;
  /** messages offered by the clients */
  sent: number;
  /** messages the product confirmed (PUBACK, HTTP 2xx, Kafka ack, outbox accepted) */
  acknowledged: number;
  /** distinct acknowledged messages found in the store at the end */
  stored: number;
  /** acknowledged but not stored */
  lost: number;
  /** stored more than once (extra copies) */
  duplicated: number;
  pass: boolean;
  /** what was observed, one sentence per line (memory figures, alerts seen, timings) */
  notes: string[];
  durationMs: number;
  /** set when the scenario could not run here; never counted as a pass */
  skipped?: string;
}

export interface Scenario {
  name: string;
  /** one sentence: the fault and what must hold */
  description: string;
  run(opts: ScenarioOptions): Promise<ScenarioResult>;
}
